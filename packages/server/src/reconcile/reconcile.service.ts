// The reconcile job: merge-join the bucket listing with the files table (both in key order), classify every difference, optionally repair.
import type { ReconcileReport } from '@fieldvault/shared/schemas';
import { appendAuditEvent } from '../audit/audit.writer.js';
import type { JobContext, JobResult } from '../jobs/jobs.types.js';
import type { ListedObject } from '../storage/object-store.js';
import { SESSION_TTL_MS } from '../uploads/uploads.service.js';
import { mergeJoin, type Joined } from './reconcile.merge.js';
import {
  abortStaleMultipart,
  failStalePending,
  markRecordMissing,
  moveOrphan,
  ORPHANS_PREFIX,
  type RepairDeps,
} from './reconcile.repair.js';
import { ReportBuilder } from './reconcile.report.js';
import {
  recordsPage,
  stalePendingFiles,
  uploadIsLive,
  type RecordSlice,
} from './reconcile.repository.js';

/** Records read per query: memory holds two pages (one read ahead), whatever the table's size. */
const PAGE = 5000;
/** Keys in the bucket that are ours but not files: never orphans. */
const NOT_FILES = [ORPHANS_PREFIX, 'checkpoints/', '.fieldvault-probe/'];
/** Statuses whose record must have an object (`missing` is already known; pending/purged have none). */
const EXPECT_OBJECT = new Set(['verified', 'mismatch', 'deleted']);

/** One reconcile pass's state. */
interface Pass {
  ctx: JobContext;
  report: ReportBuilder;
  repair: RepairDeps | null;
}

/**
 * Records under `prefix` in key order, a page at a time; the next page is asked for while this one
 * is joined, so the listing never waits for the database.
 */
async function* records(ctx: JobContext, prefix: string): AsyncGenerator<RecordSlice> {
  const read = (afterKey: string | null) => recordsPage(ctx.db, { prefix, afterKey, limit: PAGE });
  let pending = read(null);
  for (;;) {
    const page = await pending;
    const last = page.at(-1);
    const more = last !== undefined && page.length === PAGE;
    if (more) {
      pending = read(last.key);
      // Marked handled: a run stopped early (aborted) never awaits it.
      pending.catch(() => undefined);
    }
    yield* page;
    if (!more) return;
  }
}

/** The bucket listing under `prefix`, without our own non-file keys. */
async function* objects(ctx: JobContext, prefix: string): AsyncGenerator<ListedObject> {
  for await (const o of ctx.store.list(prefix)) {
    if (!NOT_FILES.some((p) => o.key.startsWith(p))) yield o;
  }
}

/** Run a repair and note what it did; a failed repair is counted and named, never fatal. */
async function attempt(
  pass: Pass,
  action: (deps: RepairDeps) => Promise<string>,
): Promise<string | null> {
  if (!pass.repair) return null;
  try {
    return await action(pass.repair);
  } catch (err) {
    pass.report.repairErrors++;
    pass.ctx.log.warn({ err }, 'reconcile repair failed');
    return `failed: ${err instanceof Error ? err.message : String(err)}`;
  }
}

/** Classify one step of the join. */
async function classify(pass: Pass, j: Joined): Promise<void> {
  const { report } = pass;
  if (j.object) report.objects++;
  if (j.record) report.records++;
  if (j.object && !j.record) {
    const key = j.object.key;
    const repaired = await attempt(pass, (d) => moveOrphan(d, key));
    report.add({ kind: 'orphan', key, actual: j.object.size, repaired });
    return;
  }
  const record = j.record;
  if (!record) return;
  if (!j.object) {
    if (!EXPECT_OBJECT.has(record.status)) return;
    const repaired = await attempt(pass, (d) => markRecordMissing(d, record));
    report.add({
      kind: 'missing',
      key: record.key,
      fileId: record.id,
      expected: record.status,
      repaired,
    });
    return;
  }
  if (!EXPECT_OBJECT.has(record.status) && record.status !== 'missing') return;
  const base = { key: record.key, fileId: record.id };
  if (j.object.size !== record.size)
    report.add({ kind: 'size_drift', ...base, expected: record.size, actual: j.object.size });
  const type = j.object.contentType;
  if (type !== undefined && type !== record.content_type)
    report.add({
      kind: 'content_type_drift',
      ...base,
      expected: record.content_type,
      actual: type,
    });
}

/** Multipart uploads under `prefix` older than a session's life and owned by no live session. */
async function staleMultiparts(pass: Pass, prefix: string): Promise<void> {
  const now = pass.ctx.clock();
  const before = now.getTime() - SESSION_TTL_MS;
  for await (const u of pass.ctx.store.listMultipartUploads(prefix)) {
    if (u.initiated.getTime() >= before) continue;
    if (await uploadIsLive(pass.ctx.db, { uploadId: u.uploadId, now })) continue;
    const repaired = await attempt(pass, (d) => abortStaleMultipart(d, u));
    pass.report.add({ kind: 'stale_multipart', key: u.key, uploadId: u.uploadId, repaired });
  }
}

/** Pending records older than a session's life whose sessions nobody will finish. */
async function stalePending(pass: Pass): Promise<void> {
  const now = pass.ctx.clock();
  const before = new Date(now.getTime() - SESSION_TTL_MS);
  const rows = await stalePendingFiles(pass.ctx.db, {
    orgId: pass.ctx.orgId,
    before,
    now,
    limit: 10_000,
  });
  for (const record of rows) {
    const repaired = await attempt(pass, (d) => failStalePending(d, record));
    pass.report.add({
      kind: 'stale_pending',
      key: record.key,
      fileId: record.id,
      expected: 'pending',
      repaired,
    });
  }
}

/** RECONCILE_RUN in the org's trail: an org-scoped run is an act on that org's records. */
async function auditRun(
  ctx: JobContext,
  q: { orgId: string; report: ReconcileReport },
): Promise<void> {
  await ctx.db.transaction().execute((trx) =>
    appendAuditEvent(trx, {
      orgId: q.orgId,
      at: ctx.clock(),
      actor: { userId: null, role: null },
      action: 'RECONCILE_RUN',
      success: true,
      details: {
        repair: q.report.repair,
        counts: q.report.counts,
        repairErrors: q.report.repairErrors,
      },
    }),
  );
}

/** Key prefixes one run covers: an org's keys and its quarantine, or the whole bucket. */
function prefixesOf(orgId: string | null): string[] {
  return orgId ? [`${orgId}/`, `quarantine/${orgId}/`] : [''];
}

/** Compare the bucket with the database (dry run unless `ctx.repair`); the report is the run's report. */
export async function reconcile(ctx: JobContext): Promise<JobResult & { report: ReconcileReport }> {
  const report = new ReportBuilder(ctx.orgId, ctx.repair);
  const repair = ctx.repair ? { db: ctx.db, store: ctx.store, now: ctx.clock() } : null;
  const pass: Pass = { ctx, report, repair };
  for (const prefix of prefixesOf(ctx.orgId)) {
    for await (const joined of mergeJoin(objects(ctx, prefix), records(ctx, prefix))) {
      if (ctx.signal.aborted) break;
      await classify(pass, joined);
    }
    await staleMultiparts(pass, prefix);
  }
  await stalePending(pass);
  const built = report.build();
  if (ctx.orgId) await auditRun(ctx, { orgId: ctx.orgId, report: built });
  return { counts: report.countsForRun(), report: built };
}
