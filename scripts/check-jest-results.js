// Fails the run when the PostgreSQL store tests did not run: with
// BACKSTAGE_TEST_DISABLE_DOCKER and no connection string, TestDatabases drops
// POSTGRES_15 without a word and the run would still pass.
const fs = require('fs');

const file = process.argv[2];
if (!fs.existsSync(file)) {
  console.error(`No jest results at ${file}`);
  process.exit(1);
}
const results = JSON.parse(fs.readFileSync(file, 'utf8'));
const titles = results.testResults.flatMap(suite =>
  suite.assertionResults.map(a => a.fullName),
);
const ran = id => titles.some(t => t.includes(id));
let ok = true;
for (const id of ['SQLITE_3', 'POSTGRES_15']) {
  if (ran(id)) {
    console.log(`store tests ran on ${id}`);
  } else {
    console.error(`No store test ran on ${id}`);
    ok = false;
  }
}
process.exit(ok ? 0 : 1);
