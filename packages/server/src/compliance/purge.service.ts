// Purging one file, the one way both `files.purge` and the purge job do it: bytes gone, record kept as a `purged` tombstone, audited in the same transaction.
import { fail } from '@fieldvault/shared/errors';
import type { AuditEventInput } from '../audit/audit.writer.js';
import { appendAuditEvent } from '../audit/audit.writer.js';
import type { Tx } from '../db/database.js';
import type { FileRow, JsonValue } from '../db/schema.js';
import { recordFileEvent } from '../events/events.writer.js';
import { isStorageError } from '../storage/errors.js';
import type { ObjectStore } from '../storage/object-store.js';
import { markPurged } from './compliance.repository.js';

/** Who purges: a signed-in admin (with request metadata) or the purge job (no user). */
export type PurgeActor = Pick<AuditEventInput, 'actor' | 'ip' | 'userAgent' | 'deviceLabel'>;

/** What stops a purge: a legal hold, or retention not over yet. */
export type PurgeBlock = { reason: 'legal_hold' } | { reason: 'retention'; until: Date };

/** Why `file` may not be purged at `at`, or null. A legal hold wins over any retention date. */
export function purgeBlock(
  file: Pick<FileRow, 'legal_hold' | 'retention_until'>,
  at: Date,
): PurgeBlock | null {
  if (file.legal_hold) return { reason: 'legal_hold' };
  if (file.retention_until && file.retention_until > at)
    return { reason: 'retention', until: file.retention_until };
  return null;
}

/** The RETENTION_LOCKED error the app answers for a block, naming it. */
export function purgeRefusal(block: PurgeBlock | { reason: 'storage' }, cause?: unknown): Error {
  switch (block.reason) {
    case 'legal_hold':
      return fail.RETENTION_LOCKED('This file is under a legal hold.', {
        details: { legalHold: true },
      });
    case 'retention': {
      const until = block.until.toISOString();
      return fail.RETENTION_LOCKED(`This file is under retention until ${until}.`, {
        details: { retentionUntil: until },
      });
    }
    case 'storage':
      return fail.RETENTION_LOCKED(
        'Storage refused to delete the object: it is under Object Lock (retention or legal hold in the bucket).',
        { details: { storage: 'object_lock' }, cause },
      );
  }
}

/** What the audit trail keeps of a purged file. */
function purgeFacts(file: FileRow, reason: string): { [key: string]: JsonValue } {
  return {
    reason,
    sha256: file.sha256,
    size: file.size,
    filename: file.original_filename,
    status: file.status,
    deletedAt: file.deleted_at?.toISOString() ?? null,
    retentionUntil: file.retention_until?.toISOString() ?? null,
  };
}

/**
 * Purge `file` (already locked FOR UPDATE by the caller, already checked with {@link purgeBlock}):
 * status `purged` (the tombstone keeps sha256, key and history), duplicates pointing at it forget
 * it, FILE_PURGED and `file.purged` — then every version of the object is deleted before the
 * transaction commits. If storage refuses (Object Lock) it throws RETENTION_LOCKED and everything
 * rolls back; any other storage failure rolls back too, so a retry finishes the job.
 */
export async function purgeLockedFile(
  trx: Tx,
  deps: { store: ObjectStore },
  q: { file: FileRow; at: Date; actor: PurgeActor; reason: string },
): Promise<FileRow> {
  const { file, at } = q;
  const row = await markPurged(trx, { id: file.id, at });
  await trx
    .updateTable('files')
    .set({ duplicate_of: null })
    .where('duplicate_of', '=', file.id)
    .execute();
  await appendAuditEvent(trx, {
    ...q.actor,
    orgId: file.org_id,
    at,
    action: 'FILE_PURGED',
    target: { fileId: file.id, key: file.key, captureId: file.capture_id },
    success: true,
    details: purgeFacts(file, q.reason),
  });
  await recordFileEvent(trx, { type: 'file.purged', file: row, at });
  try {
    await deps.store.purge(file.key);
  } catch (err) {
    if (isStorageError(err, 'locked')) throw purgeRefusal({ reason: 'storage' }, err);
    throw err;
  }
  return row;
}
