// The purge job: soft-deleted files past the grace period lose their bytes (never under retention or legal hold); the record stays as `purged`.
import { isFieldVaultError } from '@fieldvault/shared/errors';
import type { JobContext, JobResult } from '../jobs/jobs.types.js';
import { lockFile, purgeCandidates } from './compliance.repository.js';
import { purgeBlock, purgeLockedFile } from './purge.service.js';

const BATCH = 100;
const DAY_MS = 86_400_000;

type PurgeOutcome = 'purged' | 'retained' | 'held' | 'locked' | 'skipped' | 'failed';

/**
 * Purge one file in one transaction with the rule `files.purge` uses (purge.service): re-check under
 * the row lock, then tombstone, audit, event and delete every version before commit. A storage
 * refusal (Object Lock) is `locked` and rolls back; the file is tried again next run.
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
      const block = purgeBlock(file, at);
      if (block) return block.reason === 'legal_hold' ? 'held' : 'retained';
      await purgeLockedFile(trx, ctx, {
        file,
        at,
        actor: { actor: { userId: null, role: null } },
        reason: 'grace period over',
      });
      return 'purged';
    });
  } catch (err) {
    if (isFieldVaultError(err, 'RETENTION_LOCKED')) {
      ctx.log.warn({ err, fileId: q.id }, 'purge refused by storage (Object Lock)');
      return 'locked';
    }
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
    locked: 0,
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
