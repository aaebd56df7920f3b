// Translate AWS SDK errors (which differ slightly between AWS, Ceph and MinIO) into StorageError codes.
import { StorageError } from '../errors.js';

/** HTTP status and error name of an SDK error, whatever its shape. */
export function s3ErrorInfo(err: unknown): { status: number | undefined; name: string } {
  const e = err as
    { name?: string; Code?: string; $metadata?: { httpStatusCode?: number } } | undefined;
  return { status: e?.$metadata?.httpStatusCode, name: e?.Code ?? e?.name ?? '' };
}

/** True for "no such key/object" answers (HEAD has no body, so only the status says so). */
export function isNotFound(err: unknown): boolean {
  const { status, name } = s3ErrorInfo(err);
  return status === 404 || name === 'NoSuchKey' || name === 'NotFound';
}

/** Map an SDK error to a StorageError where the code is meaningful to callers; rethrow the rest unchanged. */
export function toStorageError(err: unknown, what: string): never {
  const { status, name } = s3ErrorInfo(err);
  if (status === 412 || name === 'PreconditionFailed') {
    throw new StorageError('object_exists', `${what}: an object with this key already exists`, {
      cause: err,
    });
  }
  if (name === 'NoSuchBucket')
    throw new StorageError('unavailable', `${what}: bucket does not exist`, { cause: err });
  if (name === 'NoSuchUpload')
    throw new StorageError('not_found', `${what}: no such multipart upload`, { cause: err });
  if (name === 'NoSuchKey' || status === 404)
    throw new StorageError('not_found', `${what}: not found`, { cause: err });
  if (['InvalidPart', 'InvalidPartOrder', 'EntityTooSmall'].includes(name)) {
    throw new StorageError('invalid_part', `${what}: ${name}`, { cause: err });
  }
  if (status === undefined || status >= 500) {
    throw new StorageError(
      'unavailable',
      `${what}: storage unavailable (${name || 'no response'})`,
      { cause: err },
    );
  }
  throw err;
}
