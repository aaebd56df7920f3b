// The after-runs backend checks fail on each finding they exist to catch, content-type drift included, and pass without.
import { describe, expect, it } from 'vitest';
import { judgeChecks, type CheckInputs, type ReconcileOutput } from './backend-checks';
import { buildReport } from './report';

const CLEAN_COUNTS = { missing: 0, orphan: 0, size_drift: 0, content_type_drift: 0 };

const reconciled = (counts: Record<string, number> = {}, status = 0): ReconcileOutput => ({
  status,
  report: { counts: { ...CLEAN_COUNTS, ...counts }, findings: [] },
  raw: '{}',
});

const inputs = (over: Partial<CheckInputs> = {}): CheckInputs => ({
  before: reconciled(),
  repair: reconciled(),
  after: reconciled(),
  audit: { status: 0, output: 'ok' },
  ...over,
});

const failed = (over: Partial<CheckInputs>) =>
  judgeChecks('fs', inputs(over))
    .filter((c) => !c.ok)
    .map((c) => c.name);

describe('judgeChecks', () => {
  it('passes every check when reconcile finds nothing and the audit chain holds', () => {
    const checks = judgeChecks('fs', inputs());
    expect(checks.every((c) => c.ok)).toBe(true);
    expect(buildReport({ seed: 1, command: 'c', runs: [], checks, wallMs: 0 }).violations).toBe(0);
  });

  it('a content-type drift left after repair fails the soak', () => {
    const checks = judgeChecks('fs', inputs({ after: reconciled({ content_type_drift: 2 }) }));
    expect(checks.filter((c) => !c.ok).map((c) => c.name)).toEqual([
      'after repair: stored content types match the records',
    ]);
    expect(buildReport({ seed: 1, command: 'c', runs: [], checks, wallMs: 0 }).violations).toBe(1);
  });

  const cases: [string, Partial<CheckInputs>, string][] = [
    [
      'a record without an object before repair',
      { before: reconciled({ missing: 1 }) },
      'reconcile: no record without an object (missing = 0) before repair',
    ],
    ['a failed repair', { repair: reconciled({}, 1) }, 'reconcile --repair succeeds'],
    [
      'an orphan left after repair',
      { after: reconciled({ orphan: 1 }) },
      'after repair: no record without an object, no object without a record outside orphans/, no size drift',
    ],
    [
      'a broken audit chain',
      { audit: { status: 1, output: 'chain broken' } },
      'verify-audit: every audit chain holds',
    ],
  ];
  it.each(cases)('%s fails its check', (_what, over, name) => {
    expect(failed(over)).toEqual([name]);
  });

  it('an unreadable reconcile report after repair fails both after-repair checks', () => {
    const after = { status: 2, report: null, raw: 'boom' };
    expect(failed({ after })).toHaveLength(2);
  });
});
