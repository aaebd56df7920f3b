// The purge job: soft-deleted files past the grace period lose their bytes (never under retention or legal hold); the record stays as `purged`.
import type { JsonValue } from '../db/schema.js';
import { recordFileEvent } from '../events/events.writer.js';
import type { JobContext, JobResult } from '../jobs/jobs.types.js';
import { lockFile, markPurged, purgeCandidates } from './compliance.repository.js';
import { auditSystem } from './system-audit.js';

const BATCH = 100;
const DAY_MS = 86_400_000;

type PurgeOutcome = 'purged' | 'retained' | 'held' | 'skipped' | 'failed';

/**
 * Purge one file in one transaction: re-check under the row lock, mark `purged`, FILE_PURGED and
 * file.purged, then delete the object before commit — a storage refusal (Object Lock) rolls the
 * change back and the file is tried again next run.
 */
async function purgeOne(
  ctx: JobContext,
  q: { id: string; deletedBefore: Date },
): Promise<PurgeOutcome> {
  const at = ctx.clock();
  try {
    return await ctx.db.transaction().execute(async (trx) => {
      const file = await lockFile(trx, q.id);
      if (
        !file ||
        file.status !== 'deleted' ||
        !file.deleted_at ||
        file.deleted_at >= q.deletedBefore
      )
        return 'skipped';
      if (file.legal_hold) return 'held';
      if (file.retention_until && file.retention_until > at) return 'retained';
      const row = await markPurged(trx, { id: file.id, at });
      const details: { [key: string]: JsonValue } = {
        reason: 'grace period over',
        deletedAt: file.deleted_at.toISOString(),
        sha256: file.sha256,
        size: file.size,
        filename: file.original_filename,
        retentionUntil: file.retention_until?.toISOString() ?? null,
      };
      await auditSystem(trx, { action: 'FILE_PURGED', file: row, at, details });
      await recordFileEvent(trx, { type: 'file.purged', file: row, at });
      await ctx.store.purge(file.key);
      return 'purged';
    });
  } catch (err) {
    ctx.log.warn({ err, fileId: q.id }, 'purge failed');
    return 'failed';
  }
}

/** Purge every file soft-deleted more than FIELDVAULT_PURGE_GRACE_DAYS ago that nothing protects. */
export async function purge(ctx: JobContext): Promise<JobResult> {
  const deletedBefore = new Date(ctx.clock().getTime() - ctx.config.jobs.purgeGraceDays * DAY_MS);
  const counts: Record<PurgeOutcome, number> = {
    purged: 0,
    retained: 0,
    held: 0,
    skipped: 0,
    failed: 0,
  };
  let afterId: string | null = null;
  while (!ctx.signal.aborted) {
    const batch = await purgeCandidates(ctx.db, {
      orgId: ctx.orgId,
      deletedBefore,
      afterId,
      limit: BATCH,
    });
    for (const { id } of batch) counts[await purgeOne(ctx, { id, deletedBefore })]++;
    const last = batch.at(-1);
    if (!last || batch.length < BATCH) break;
    afterId = last.id;
  }
  return { counts };
}
