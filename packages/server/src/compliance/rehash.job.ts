// The rehash job: read stored bytes back (a rolling daily sample, or all) at a capped rate and compare their SHA-256 with the record.
import { createHash } from 'node:crypto';
import { recordFileEvent } from '../events/events.writer.js';
import type { FileRow } from '../db/schema.js';
import type { JobContext, JobResult } from '../jobs/jobs.types.js';
import { isStorageError } from '../storage/errors.js';
import { countVerified, markChecked, markMismatch, rehashBatch } from './compliance.repository.js';
import { auditFileEvent } from '../files/file-audit.js';

const BATCH = 100;
/** A sampled file is not sampled again within this long, so the sample rolls through every file. */
const SAMPLE_INTERVAL_MS = 20 * 3600_000;

/** Keeps a reader at or under `bytesPerSecond` by sleeping after each chunk. */
export class Throttle {
  private readonly started = performance.now();
  private bytes = 0;
  constructor(private readonly bytesPerSecond: number) {}

  /** Account for `n` bytes read; resolves when reading more stays within the rate. */
  async take(n: number): Promise<void> {
    this.bytes += n;
    const due = (this.bytes / this.bytesPerSecond) * 1000 - (performance.now() - this.started);
    if (due > 1) await new Promise((r) => setTimeout(r, due));
  }
}

/** SHA-256 of a stored object read through `throttle`; null when the object is gone. */
async function hashStored(
  ctx: JobContext,
  q: { key: string; throttle: Throttle },
): Promise<string | null> {
  let stream;
  try {
    stream = await ctx.store.getStream(q.key);
  } catch (err) {
    if (isStorageError(err, 'not_found')) return null;
    throw err;
  }
  const hash = createHash('sha256');
  const reader = stream.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return hash.digest('hex');
    hash.update(value);
    await q.throttle.take(value.byteLength);
  }
}

/** Record a mismatch: status, HASH_MISMATCH and file.mismatch in one transaction. */
async function recordMismatch(
  ctx: JobContext,
  q: { file: FileRow; actual: string },
): Promise<void> {
  const at = ctx.clock();
  await ctx.db.transaction().execute(async (trx) => {
    const row = await markMismatch(trx, { id: q.file.id, at });
    if (!row) return;
    const details = { source: 'rehash', expectedSha256: q.file.sha256, actualSha256: q.actual };
    await auditFileEvent(trx, null, { action: 'HASH_MISMATCH', file: row, at, details });
    await recordFileEvent(trx, { type: 'file.mismatch', file: row, at, details });
  });
}

/** Check one file; the counter it adds to. */
async function checkFile(
  ctx: JobContext,
  q: { file: FileRow; throttle: Throttle },
): Promise<'matched' | 'mismatched' | 'missing'> {
  const actual = await hashStored(ctx, { key: q.file.key, throttle: q.throttle });
  if (actual === null) return 'missing';
  if (actual === q.file.sha256) {
    await markChecked(ctx.db, { id: q.file.id, at: ctx.clock() });
    return 'matched';
  }
  await recordMismatch(ctx, { file: q.file, actual });
  return 'mismatched';
}

/**
 * Re-read verified files and compare their SHA-256 with the record: `ctx.all` reads every one, else
 * the day's share (FIELDVAULT_REHASH_DAILY_PERCENT, least recently checked first). Reads are capped
 * at FIELDVAULT_REHASH_MAX_MB_PER_S. Missing objects are counted and left to reconcile.
 */
export async function rehash(ctx: JobContext): Promise<JobResult> {
  const { rehashDailyPercent, rehashMaxMbPerS } = ctx.config.jobs;
  const now = ctx.clock();
  const verified = await countVerified(ctx.db, ctx.orgId);
  const target = ctx.all ? verified : Math.ceil((verified * rehashDailyPercent) / 100);
  const checkedBefore = ctx.all ? now : new Date(now.getTime() - SAMPLE_INTERVAL_MS);
  const throttle = new Throttle(rehashMaxMbPerS * 1_000_000);
  const counts = { checked: 0, matched: 0, mismatched: 0, missing: 0 };
  const seen = new Set<string>();
  while (counts.checked < target && !ctx.signal.aborted) {
    const limit = Math.min(BATCH, target - counts.checked);
    const batch = (await rehashBatch(ctx.db, { orgId: ctx.orgId, checkedBefore, limit })).filter(
      (f) => !seen.has(f.id),
    );
    if (batch.length === 0) break;
    for (const file of batch) {
      seen.add(file.id);
      counts[await checkFile(ctx, { file, throttle })]++;
      counts.checked++;
    }
  }
  return { counts };
}
