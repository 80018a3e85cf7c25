// Fails the run when a test was skipped, or when a test file that uses the test
// databases did not run on both SQLite and PostgreSQL. With
// BACKSTAGE_TEST_DISABLE_DOCKER and no connection string, TestDatabases drops
// POSTGRES_15 without a word and the run would still pass; one PostgreSQL test
// anywhere must not vouch for every other file, so this is checked per file.
const fs = require('fs');
const path = require('path');

const DATABASE_IDS = ['SQLITE_3', 'POSTGRES_15'];

const file = process.argv[2];
if (!fs.existsSync(file)) {
  console.error(`No jest results at ${file}`);
  process.exit(1);
}
const results = JSON.parse(fs.readFileSync(file, 'utf8'));
const root = path.resolve(__dirname, '..');
let ok = true;

const skipped = results.testResults.flatMap(suite =>
  suite.assertionResults
    .filter(a => ['pending', 'skipped', 'todo', 'disabled'].includes(a.status))
    .map(a => `${path.relative(root, suite.name)}: ${a.fullName}`),
);
if (skipped.length) {
  console.error(
    `${skipped.length} test(s) were skipped; a skipped test fails the run:`,
  );
  for (const s of skipped) console.error(`  ${s}`);
  ok = false;
}

let databaseFiles = 0;
for (const suite of results.testResults) {
  const source = fs.readFileSync(suite.name, 'utf8');
  if (!/\bTestDatabases\b/.test(source)) continue;
  databaseFiles += 1;
  const titles = suite.assertionResults.map(a => a.fullName);
  const missing = DATABASE_IDS.filter(id => !titles.some(t => t.includes(id)));
  if (missing.length) {
    console.error(
      `${path.relative(
        root,
        suite.name,
      )} uses the test databases but ran no test on ${missing.join(' or ')}`,
    );
    ok = false;
  }
}
if (databaseFiles === 0) {
  console.error('No test file used the test databases');
  ok = false;
} else if (ok) {
  console.log(
    `database tests: each of ${databaseFiles} files ran on ${DATABASE_IDS.join(
      ' and ',
    )}`,
  );
}
process.exit(ok ? 0 : 1);
