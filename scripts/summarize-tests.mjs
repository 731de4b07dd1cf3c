// Adds up the vitest JSON reports that scripts/test-all.sh wrote and prints one line per
// Node.js version and package, then the closing line `N passed, N failed, N skipped`.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.argv[2];
const totals = { passed: 0, failed: 0, skipped: 0 };
const files = readdirSync(dir).filter((file) => file.endsWith('.json')).sort();
if (files.length === 0) {
  console.log('0 passed, 1 failed (no test report was written)');
  process.exit(1);
}
console.log('\n==> test summary');
for (const file of files) {
  const report = JSON.parse(readFileSync(join(dir, file), 'utf8'));
  const passed = report.numPassedTests;
  // A run that failed before any test (e.g. a globalSetup that threw: no S3 server) counts as one failure.
  const failed =
    report.numFailedTests + (report.numFailedTestSuites ?? 0) ||
    (report.success === false && report.numTotalTests === 0 ? 1 : 0);
  const skipped = report.numPendingTests + (report.numTodoTests ?? 0);
  totals.passed += passed;
  totals.failed += failed;
  totals.skipped += skipped;
  console.log(`${file.replace(/\.json$/, '').padEnd(28)} ${passed} passed, ${failed} failed, ${skipped} skipped`);
}
console.log(`${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
