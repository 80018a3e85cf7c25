// Prints one closing line for the whole run from jest's and Playwright's JSON reports.
const fs = require('fs');

const [jestFile, ...e2eFiles] = process.argv.slice(2);
let passed = 0;
let failed = 0;
let skipped = 0;

if (jestFile && fs.existsSync(jestFile)) {
  const j = JSON.parse(fs.readFileSync(jestFile, 'utf8'));
  passed += j.numPassedTests;
  failed += j.numFailedTests;
  skipped += j.numPendingTests + j.numTodoTests;
  // A suite that failed to load has no test results but must still count.
  failed += j.numRuntimeErrorTestSuites;
} else {
  failed += 1;
  console.error('jest produced no report');
}

for (const e2eFile of e2eFiles) {
  if (!fs.existsSync(e2eFile)) {
    failed += 1;
    console.error(`Playwright produced no report at ${e2eFile}`);
    continue;
  }
  const e = JSON.parse(fs.readFileSync(e2eFile, 'utf8'));
  passed += e.stats.expected + e.stats.flaky;
  failed += e.stats.unexpected;
  skipped += e.stats.skipped;
  if (e.errors && e.errors.length > 0) failed += e.errors.length;
}

console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
if (skipped > 0) {
  console.error('A skipped test fails the run: run it or remove it.');
}
process.exit(failed > 0 || skipped > 0 ? 1 : 0);
