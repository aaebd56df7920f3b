// Object Lock on S3: the start-up check, per-object retention and legal hold, and purging every version of a key.
import {
  DeleteObjectCommand,
  GetObjectRetentionCommand,
  ListObjectVersionsCommand,
  PutObjectLegalHoldCommand,
  PutObjectRetentionCommand,
} from '@aws-sdk/client-s3';
import type { S3Client } from '@aws-sdk/client-s3';
import { StorageError } from '../errors.js';
import type { Retention, StoreCapabilities } from '../object-store.js';
import { isNotFound, s3ErrorInfo, toStorageError } from './s3-errors.js';

/** What the lock operations need: the client, the bucket and whether the bucket has Object Lock. */
export interface LockContext {
  client: S3Client;
  bucket: string;
  caps: StoreCapabilities;
}

/**
 * Refuse to start when an Object Lock mode is configured but the bucket cannot lock: the operator
 * believes receipts are WORM-protected, and a silent fallback would make that false.
 */
export function assertObjectLock(caps: StoreCapabilities, bucket: string): void {
  if (caps.objectLockMode === null || caps.objectLock) return;
  throw new StorageError(
    'unsupported',
    `FIELDVAULT_OBJECT_LOCK_MODE=${caps.objectLockMode} but bucket "${bucket}" does not have Object ` +
      'Lock enabled. Create the bucket with Object Lock (aws s3api create-bucket … ' +
      '--object-lock-enabled-for-bucket; most S3-compatible services only allow it at creation), ' +
      'or set FIELDVAULT_OBJECT_LOCK_MODE=off.',
  );
}

/**
 * A 403 on a version delete or a retention change is Object Lock saying no (Ceph: "forbidden by
 * object lock"; AWS: "…protected by object lock") — or a key without the permission, which the
 * message names too, since S3 does not tell them apart reliably.
 */
function lockRefusal(err: unknown, what: string): never {
  const { status, name } = s3ErrorInfo(err);
  if (status === 403 || name === 'AccessDenied') {
    throw new StorageError(
      'locked',
      `${what}: refused by storage — Object Lock (retention not over, or a legal hold), ` +
        'or the access key lacks the permission (s3:DeleteObjectVersion / s3:PutObjectRetention)',
      { cause: err },
    );
  }
  return toStorageError(err, what);
}

/** The retention storage holds for `key`, or null (none, or the bucket has no Object Lock). */
export async function getObjectRetention(ctx: LockContext, key: string): Promise<Retention | null> {
  if (!ctx.caps.objectLock) return null;
  try {
    const out = await ctx.client.send(
      new GetObjectRetentionCommand({ Bucket: ctx.bucket, Key: key }),
    );
    const mode = out.Retention?.Mode;
    const until = out.Retention?.RetainUntilDate;
    return (mode === 'GOVERNANCE' || mode === 'COMPLIANCE') && until ? { mode, until } : null;
  } catch (err) {
    // No retention set answers NoSuchObjectLockConfiguration (or 404 on some providers).
    if (isNotFound(err) || s3ErrorInfo(err).name === 'NoSuchObjectLockConfiguration') return null;
    return toStorageError(err, 'getRetention');
  }
}

/** Set `key`'s retention (shortening a COMPLIANCE one is refused by storage: `locked`). */
export async function putObjectRetention(
  ctx: LockContext,
  key: string,
  retention: Retention,
): Promise<void> {
  if (!ctx.caps.objectLock) throw new StorageError('unsupported', 'bucket has no object lock');
  await ctx.client
    .send(
      new PutObjectRetentionCommand({
        Bucket: ctx.bucket,
        Key: key,
        Retention: { Mode: retention.mode, RetainUntilDate: retention.until },
      }),
    )
    .catch((err: unknown) => lockRefusal(err, 'putRetention'));
}

/** Place or lift the legal hold on the current version of `key`; nothing to do when lock mode is off. */
export async function putLegalHold(ctx: LockContext, key: string, hold: boolean): Promise<void> {
  if (ctx.caps.objectLockMode === null) return;
  await ctx.client
    .send(
      new PutObjectLegalHoldCommand({
        Bucket: ctx.bucket,
        Key: key,
        LegalHold: { Status: hold ? 'ON' : 'OFF' },
      }),
    )
    .catch((err: unknown) => toStorageError(err, 'setLegalHold'));
}

/** Every version id (delete markers included) stored under exactly `key`, all pages. */
async function versionsOf(ctx: LockContext, key: string): Promise<string[]> {
  const ids: string[] = [];
  let KeyMarker: string | undefined;
  let VersionIdMarker: string | undefined;
  for (;;) {
    const out = await ctx.client
      .send(
        new ListObjectVersionsCommand({
          Bucket: ctx.bucket,
          Prefix: key,
          ...(KeyMarker ? { KeyMarker } : {}),
          ...(VersionIdMarker ? { VersionIdMarker } : {}),
        }),
      )
      .catch((err: unknown) => toStorageError(err, 'purge'));
    // Prefix also matches longer keys (`a.jpg` and `a.jpg.bak`): keep exact matches only.
    for (const v of [...(out.Versions ?? []), ...(out.DeleteMarkers ?? [])])
      if (v.Key === key && v.VersionId) ids.push(v.VersionId);
    if (!out.IsTruncated) return ids;
    KeyMarker = out.NextKeyMarker;
    VersionIdMarker = out.NextVersionIdMarker;
  }
}

/**
 * Delete every version of `key`, so a purge really removes the bytes on a versioned (and every
 * Object Lock) bucket, where a plain DeleteObject only adds a delete marker. Never bypasses
 * GOVERNANCE retention: a locked version answers `locked`. An unversioned bucket lists the one
 * version as `null`, which deletes like a plain DeleteObject.
 */
export async function purgeAllVersions(ctx: LockContext, key: string): Promise<void> {
  const ids = await versionsOf(ctx, key);
  for (const VersionId of ids) {
    await ctx.client
      .send(new DeleteObjectCommand({ Bucket: ctx.bucket, Key: key, VersionId }))
      .catch((err: unknown) => lockRefusal(err, 'purge'));
  }
}
