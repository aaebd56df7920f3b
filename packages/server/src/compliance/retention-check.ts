// `fieldvault retention check`: the bucket's Object Lock, a sample of objects' storage retention against their records, and files whose retention ends soon.
import { sql } from 'kysely';
import type { JobDeps } from '../jobs/jobs.types.js';

/** What the check found. */
export interface RetentionCheck {
  backend: 'fs' | 's3';
  objectLock: boolean;
  configuredMode: 'off' | 'GOVERNANCE' | 'COMPLIANCE';
  sampled: number;
  /** Sampled files whose storage retention is absent or ends before the record's. */
  unprotected: { fileId: string; key: string; recordUntil: string; storageUntil: string | null }[];
  expiringSoon: { fileId: string; key: string; retentionUntil: string }[];
}

/**
 * Check retention: with Object Lock configured (bucket and FIELDVAULT_OBJECT_LOCK_MODE), sample up to
 * `sample` verified files under retention and compare storage's retain-until with the record's;
 * list files whose retention ends within `days` days (at most 1,000).
 */
export async function checkRetention(
  deps: JobDeps,
  q: { days: number; sample: number },
): Promise<RetentionCheck> {
  const caps = deps.store.capabilities();
  const now = deps.clock();
  const lockWanted = caps.objectLock && deps.config.jobs.objectLockMode !== 'off';
  const unprotected: RetentionCheck['unprotected'] = [];
  const sampleRows = lockWanted
    ? await deps.db
        .selectFrom('files')
        .select(['id', 'key', 'retention_until'])
        .where('status', '=', 'verified')
        .where('retention_until', '>', now)
        .orderBy(sql`random()`)
        .limit(q.sample)
        .execute()
    : [];
  for (const f of sampleRows) {
    const held = await deps.store.getRetention(f.key);
    if (!f.retention_until) continue;
    if (!held || held.until < f.retention_until)
      unprotected.push({
        fileId: f.id,
        key: f.key,
        recordUntil: f.retention_until.toISOString(),
        storageUntil: held?.until.toISOString() ?? null,
      });
  }
  const horizon = new Date(now.getTime() + q.days * 86_400_000);
  const expiring = await deps.db
    .selectFrom('files')
    .select(['id', 'key', 'retention_until'])
    .where('status', 'not in', ['purged'])
    .where('retention_until', '>', now)
    .where('retention_until', '<=', horizon)
    .orderBy('retention_until')
    .limit(1000)
    .execute();
  return {
    backend: caps.backend,
    objectLock: caps.objectLock,
    configuredMode: deps.config.jobs.objectLockMode,
    sampled: sampleRows.length,
    unprotected,
    expiringSoon: expiring.map((f) => ({
      fileId: f.id,
      key: f.key,
      retentionUntil: f.retention_until?.toISOString() ?? '',
    })),
  };
}
