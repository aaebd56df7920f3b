// Reads the JSON reports that vitest and Playwright wrote and prints one closing line: "N passed, N failed".
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.argv[2] ?? 'reports';
const suites = [];

for (const name of readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .sort()) {
  const report = JSON.parse(readFileSync(join(dir, name), 'utf8'));
  if (report.soak === true) {
    // The soak's own report (its runs are already counted as tests in vitest-soak.json): one line of
    // figures, and one failure more if any invariant was violated, so a lost capture cannot pass unnoticed.
    const v = report.invariants;
    console.log(
      `  ${name}: ${report.runs} soak runs, seed ${report.seed}, lost ${v.lost}, duplicated ${v.duplicated}, stuck ${v.stuck}, corrupted ${v.corrupted}`,
    );
    suites.push({
      name,
      passed: 0,
      failed: report.violations > 0 ? 1 : 0,
      skipped: 0,
      quiet: true,
    });
  } else if (report.stats && 'expected' in report.stats) {
    // Playwright: expected = passed, unexpected = failed, flaky = passed on retry.
    const { expected, unexpected, flaky, skipped } = report.stats;
    suites.push({ name, passed: expected + flaky, failed: unexpected, skipped });
  } else if ('numPassedTests' in report) {
    // Vitest (jest-compatible JSON). A file that failed without a failing test (it did not load, or a
    // hook such as afterAll failed) counts as one failure, or the run would look green.
    const brokenFiles = (report.testResults ?? []).filter(
      (r) =>
        r.status === 'failed' && !(r.assertionResults ?? []).some((a) => a.status === 'failed'),
    ).length;
    // A run vitest itself marks unsuccessful with nothing else to show for it (an unhandled error, a
    // config it refused, no test at all) counts as one failure too.
    const counted = report.numFailedTests + brokenFiles;
    const runFailed = counted === 0 && (report.success === false || report.numTotalTests === 0);
    suites.push({
      name,
      passed: report.numPassedTests,
      failed: counted + (runFailed ? 1 : 0),
      skipped: report.numPendingTests + report.numTodoTests,
    });
  }
}

const total = suites.reduce(
  (t, s) => ({
    passed: t.passed + s.passed,
    failed: t.failed + s.failed,
    skipped: t.skipped + s.skipped,
  }),
  { passed: 0, failed: 0, skipped: 0 },
);
for (const s of suites.filter((x) => !x.quiet))
  console.log(`  ${s.name}: ${s.passed} passed, ${s.failed} failed`);
if (suites.length === 0) {
  console.log('no test reports found: no test ran');
  process.exit(1);
}
const line = `${total.passed} passed, ${total.failed} failed${total.skipped ? `, ${total.skipped} skipped` : ''}`;
writeFileSync(join(dir, 'summary.txt'), `${line}\n`);
console.log(line);
process.exit(total.failed > 0 ? 1 : 0);
