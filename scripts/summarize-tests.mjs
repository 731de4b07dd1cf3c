// Adds up the vitest JSON reports that scripts/test-all.sh wrote and prints one line per
// Node.js version and package, then every test that failed (package, file, name, the first lines
// of its error), then the closing line `N passed, N failed, N skipped`. The failures come last but
// one on purpose: a CI log is often read from its tail.
import { readFileSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';

const dir = process.argv[2];
const totals = { passed: 0, failed: 0, skipped: 0 };
const files = readdirSync(dir).filter((file) => file.endsWith('.json')).sort();
if (files.length === 0) {
  console.log('0 passed, 1 failed (no test report was written)');
  process.exit(1);
}

/** The first `lines` non-empty lines of a failure message, without colours, indented. */
const excerpt = (message, lines = 3) =>
  String(message)
    .replace(/\u001b\[[0-9;]*m/g, '')
    .split('\n')
    .map((line) => line.trimEnd())
    .filter((line) => line.trim() !== '')
    .slice(0, lines)
    .map((line) => `      ${line}`)
    .join('\n');

/**
 * What a failed test's report says went wrong. vitest's JSON report keeps only the stack of a
 * test that ran past its timeout (`Error: STACK_TRACE_ERROR`, its message lost): that is said
 * in words, with where the test is defined.
 */
const failureOf = (test) => {
  const message = String(test.failureMessages?.[0] ?? '');
  if (!message.startsWith('Error: STACK_TRACE_ERROR')) return excerpt(message);
  const where = message.split('\n').find((line) => /\.(test|spec)\.[cm]?[jt]sx?:\d+/.test(line) && !line.includes('node_modules'));
  return excerpt([`ran past its test timeout (${Math.round(test.duration ?? 0)} ms): it never settled`, where?.trim()].filter(Boolean).join('\n'));
};

const failures = [];
console.log('\n==> test summary');
for (const file of files) {
  const report = JSON.parse(readFileSync(join(dir, file), 'utf8'));
  const run = file.replace(/\.json$/, '');
  const passed = report.numPassedTests;
  let failed = report.numFailedTests;
  for (const result of report.testResults ?? []) {
    const where = `${run} ${basename(result.name)}`;
    for (const test of result.assertionResults ?? []) {
      if (test.status === 'failed') failures.push(`${where}: ${test.fullName}\n${failureOf(test)}`);
    }
    // A file that failed outside its tests (it did not load, or a hook threw) counts as one failure.
    if (result.status === 'failed' && !(result.assertionResults ?? []).some((test) => test.status === 'failed')) {
      failed += 1;
      failures.push(`${where}: failed outside its tests\n${excerpt(result.message || 'no message')}`);
    }
  }
  // A run that failed before any test file (e.g. a globalSetup that threw: no S3 server) counts as one failure.
  if (failed === 0 && report.success === false) {
    failed = 1;
    failures.push(`${run}: the run failed before its tests (see its log above)`);
  }
  const skipped = report.numPendingTests + (report.numTodoTests ?? 0);
  totals.passed += passed;
  totals.failed += failed;
  totals.skipped += skipped;
  console.log(`${run.padEnd(28)} ${passed} passed, ${failed} failed, ${skipped} skipped`);
}
if (failures.length > 0) {
  console.log('\n==> what failed');
  for (const failure of failures) console.log(`  ${failure}`);
}
console.log(`${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
