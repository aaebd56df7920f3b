// Object Lock applied to stored bytes: a verified object gets the configured mode and its record's retain-until; legal holds follow the record.
import type { FileRow } from '../db/schema.js';
import type { ObjectStore } from '../storage/object-store.js';

/**
 * Lock a just-verified object until its retention ends, with the store's configured mode (nothing
 * when Object Lock is off, on fs, without retention, or when retention is already over).
 *
 * Why at `complete`, with PutObjectRetention, and not signed into the PUT or CreateMultipartUpload:
 * - only bytes whose SHA-256 matched are locked: a mismatched upload is moved to `quarantine/` and
 *   can still be cleaned up, instead of holding wrong bytes under COMPLIANCE for years;
 * - retain-until is the record's, computed in the same transaction that records `verified` (the
 *   org's override may change between begin and complete), so bucket and database agree;
 * - the device protocol and the presigned URLs stay as they are, and single PUT and multipart share
 *   one path. (Signing the lock headers into the PUT was possible — AWS then wants Content-MD5 or a
 *   checksum, which the protocol signs from the device's `md5` when it sends one — but the device
 *   would have to send two more headers, and multipart would still need CreateMultipartUpload's
 *   lock fields, which Ceph Pacific silently ignores: tried here, the completed object had none.) PutObjectRetention needs a body checksum on AWS; the SDK adds CRC32
 *   because the operation requires one, even with `WHEN_REQUIRED`.
 * It is called inside the verdict's transaction before it commits: if storage refuses, `verified` is
 * not recorded, the claim is released and the device's retry applies it.
 */
export async function lockVerifiedObject(
  store: ObjectStore,
  q: { key: string; until: Date | null; now: Date },
): Promise<void> {
  const mode = store.capabilities().objectLockMode;
  if (!mode || !q.until || q.until <= q.now) return;
  await store.putRetention(q.key, { mode, until: q.until });
}

/** Statuses whose record still points at stored bytes (a held file's object gets the storage hold too). */
const HAS_OBJECT = new Set<FileRow['status']>(['verified', 'deleted', 'mismatch']);

/**
 * Mirror a file's legal hold onto its object (PutObjectLegalHold) when Object Lock is on; files with
 * no bytes in storage (pending, missing, purged) keep the hold in the database only.
 */
export async function applyLegalHold(
  store: ObjectStore,
  file: Pick<FileRow, 'key' | 'status' | 'legal_hold'>,
): Promise<void> {
  if (!store.capabilities().objectLockMode || !HAS_OBJECT.has(file.status)) return;
  await store.setLegalHold(file.key, file.legal_hold);
}
