// Checks run once per backend after its runs: reconcile before and after --repair, the audit chain, and a seeded violation.
import { checkInvariants, type InvariantCounts } from './checker';
import type { SoakBackend } from './backend';
import type { BackendCheck } from './report';

/** What the checks use of a backend (the Chromium soak's backend has these too). */
export type CheckedBackend = Pick<SoakBackend, 'backend' | 'server' | 'db' | 'store'>;

/** What `fieldvault reconcile` prints as JSON (the parts the checks read). */
export interface ReconcileReport {
  counts: Record<string, number>;
  findings: { kind: string; key: string }[];
}

/** One `fieldvault reconcile` call: its exit status, its parsed report (null when unreadable) and raw output. */
export interface ReconcileOutput {
  status: number;
  report: ReconcileReport | null;
  raw: string;
}

function reconcile(b: CheckedBackend, repair: boolean): ReconcileOutput {
  const out = b.server.cli(['reconcile', ...(repair ? ['--repair'] : [])]);
  try {
    return {
      status: out.status,
      report: JSON.parse(out.stdout) as ReconcileReport,
      raw: out.stdout,
    };
  } catch {
    return { status: out.status, report: null, raw: `${out.stdout}\n${out.stderr}` };
  }
}

const brief = (r: ReconcileReport | null, raw: string) =>
  r ? JSON.stringify({ counts: r.counts, findings: r.findings.slice(0, 5) }) : raw.slice(0, 500);

/** What the backend checks judge: reconcile before repair, the repair, reconcile after it, and `verify-audit`. */
export interface CheckInputs {
  before: ReconcileOutput;
  repair: ReconcileOutput;
  after: ReconcileOutput;
  audit: { status: number; output: string };
}

/**
 * The pass/fail verdicts on `inputs` for `backend`: every one must pass. A content-type drift fails too: the fs
 * sidecar bug that lost content types on a kill is fixed (ef135bc), so a drift now means a store wrote the
 * wrong metadata, and browsers would be served the wrong type.
 */
export function judgeChecks(backend: string, inputs: CheckInputs): BackendCheck[] {
  const { before, repair, after, audit } = inputs;
  const left = after.report?.counts ?? {};
  const check = (name: string, ok: boolean, detail: string): BackendCheck => ({
    backend,
    name,
    ok,
    detail,
  });
  return [
    check(
      'reconcile: no record without an object (missing = 0) before repair',
      before.report !== null && before.report.counts.missing === 0,
      brief(before.report, before.raw),
    ),
    check(
      'reconcile --repair succeeds',
      repair.status === 0 || repair.status === 3,
      brief(repair.report, repair.raw),
    ),
    check(
      'after repair: no record without an object, no object without a record outside orphans/, no size drift',
      after.report !== null && !left.missing && !left.orphan && !left.size_drift,
      brief(after.report, after.raw),
    ),
    check(
      'after repair: stored content types match the records',
      after.report !== null && !left.content_type_drift,
      brief(after.report, after.raw),
    ),
    check('verify-audit: every audit chain holds', audit.status === 0, audit.output.slice(0, 500)),
  ];
}

/** Reconcile (dry run, repair, dry run again) and `verify-audit` on `b`, judged by {@link judgeChecks}. */
export async function backendChecks(b: CheckedBackend): Promise<BackendCheck[]> {
  await b.server.ensureUp();
  const before = reconcile(b, false);
  const repair = reconcile(b, true);
  const after = reconcile(b, false);
  const audit = b.server.cli(['verify-audit']);
  return judgeChecks(b.backend, {
    before,
    repair,
    after,
    audit: { status: audit.status, output: `${audit.stdout}${audit.stderr}` },
  });
}

/**
 * Proves the checker can fail: deletes the stored object of one verified file and checks it as a finished
 * device capture would be checked. Returns the counts (lost must be 1) and whether reconcile saw it too.
 */
export async function seededViolation(
  b: CheckedBackend,
): Promise<{ counts: InvariantCounts; reconcileMissing: number }> {
  const res = await b.db.query<{ capture_id: string; sha256: string; size: string; key: string }>(
    "select capture_id, sha256, size, key from files where status = 'verified' limit 1",
  );
  const row = res.rows[0];
  if (!row) throw new Error('no verified file to damage');
  await b.store.delete(row.key);
  const stored = await b.store.head(row.key);
  const capture = {
    captureId: row.capture_id,
    size: Number(row.size),
    sha256: row.sha256,
    state: 'done',
    errorCode: null,
    error: null,
    bytesSha256: null,
  };
  const file = {
    captureId: row.capture_id,
    status: 'verified',
    sha256: row.sha256,
    size: Number(row.size),
  };
  const counts = checkInvariants({
    captures: [capture],
    files: [{ ...file, storedSha256: stored ? row.sha256 : null }],
    events: [],
    ingestedEventIds: new Set(),
  });
  const after = reconcile(b, false);
  return { counts, reconcileMissing: after.report?.counts.missing ?? -1 };
}
