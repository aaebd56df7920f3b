// Storage errors with stable codes, so callers branch on `code` instead of parsing backend messages.

/** Why a storage operation failed, independent of the backend. */
export type StorageErrorCode =
  | 'object_exists'
  | 'not_found'
  | 'invalid_key'
  | 'invalid_part'
  | 'bad_digest'
  | 'bad_size'
  | 'integrity_unbound'
  | 'unsupported'
  /** Object Lock refused the change (retention not over, or a legal hold). */
  | 'locked'
  | 'unavailable';

/** A storage failure the caller can act on; the backend's own error is kept as `cause`. */
export class StorageError extends Error {
  constructor(
    readonly code: StorageErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'StorageError';
  }
}

/** True when `err` is a {@link StorageError} with the given code. */
export function isStorageError(err: unknown, code?: StorageErrorCode): err is StorageError {
  return err instanceof StorageError && (code === undefined || err.code === code);
}
