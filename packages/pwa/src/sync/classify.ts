// Turns any error from the transport into what the engine does next: stop, retry later, re-sign, re-upload, or ask the user.
import { NOT_UPLOADED_REASON, type ErrorCode } from '@fieldvault/shared/errors';
import { CaptureNotFoundError } from '../outbox/captures';
import { TransportError } from './transport';

/** The engine's view of a failure. */
export type Failure =
  | { kind: 'offline'; message: string }
  | { kind: 'auth'; message: string }
  | { kind: 'throttled'; code: string; message: string; retryAfterMs: number | null }
  | { kind: 'retry'; code: string; message: string }
  | { kind: 'permanent'; code: string; message: string }
  | { kind: 'mismatch'; message: string }
  | { kind: 'session-lost'; message: string }
  | { kind: 'url-expired'; message: string }
  | { kind: 'already-stored'; message: string }
  | { kind: 'cancelled' };

/** Storage codes meaning "the bytes you sent are not the bytes you signed" (S3 family and our fs backend). */
const DIGEST_CODES = new Set([
  'BadDigest',
  'InvalidDigest',
  'XAmzContentSHA256Mismatch',
  'bad_digest',
  'bad_size',
]);

/** A server procedure's answer, by shared code. Exhaustive: a new code fails the type check here. */
function fromCode(code: ErrorCode, error: TransportError): Failure {
  const { message } = error;
  switch (code) {
    case 'UNAUTHENTICATED':
      return { kind: 'auth', message };
    case 'RATE_LIMITED':
    case 'STORAGE_UNAVAILABLE':
      return { kind: 'throttled', code, message, retryAfterMs: error.retryAfterMs };
    case 'INTERNAL':
    case 'IN_PROGRESS': // another request is completing this session: this capture backs off, the run goes on
      return { kind: 'retry', code, message };
    case 'HASH_MISMATCH':
      return { kind: 'mismatch', message };
    case 'NOT_FOUND':
    case 'EXPIRED':
      return { kind: 'session-lost', message };
    case 'BAD_INPUT':
    case 'NOT_ALLOWED_TYPE':
    case 'TOO_LARGE':
    case 'EMPTY_FILE':
    case 'TYPE_MISMATCH':
    case 'CONFLICT':
    case 'FORBIDDEN':
    case 'RETENTION_LOCKED':
      return { kind: 'permanent', code, message };
  }
}

/**
 * A server call answered by a proxy's error page: server trouble (5xx, 408) is retried, 429 and 503
 * throttle, 401 asks for sign-in; anything else (a captive portal, a firewall) counts as no answer.
 * Never the storage rules: a proxy's 404 is no lost session, its 403 no expired URL.
 */
function fromErrorPage(status: number, error: TransportError): Failure {
  const { message } = error;
  if (status === 401) return { kind: 'auth', message };
  if (status === 429 || status === 503) {
    return { kind: 'throttled', code: `HTTP_${status}`, message, retryAfterMs: error.retryAfterMs };
  }
  if (status >= 500 || status === 408) return { kind: 'retry', code: `HTTP_${status}`, message };
  return { kind: 'offline', message: 'No connection.' };
}

/** A storage (byte route) answer, by HTTP status and storage code. */
function fromStatus(status: number, error: TransportError): Failure {
  const { message } = error;
  if (error.storageCode === 'MissingETag')
    return { kind: 'permanent', code: 'STORAGE_CORS', message };
  if (status === 401) return { kind: 'auth', message };
  if (status === 403) return { kind: 'url-expired', message };
  if (status === 404) return { kind: 'session-lost', message };
  if (status === 412) return { kind: 'already-stored', message };
  if (status === 413) return { kind: 'permanent', code: 'TOO_LARGE', message };
  if (status === 429 || status === 503) {
    return { kind: 'throttled', code: `HTTP_${status}`, message, retryAfterMs: error.retryAfterMs };
  }
  if (error.storageCode !== null && DIGEST_CODES.has(error.storageCode))
    return { kind: 'mismatch', message };
  if (status >= 500 || status === 408) return { kind: 'retry', code: `HTTP_${status}`, message };
  return {
    kind: 'permanent',
    code: 'STORAGE_REFUSED',
    message: `Storage refused the upload (HTTP ${status}).`,
  };
}

/**
 * The upload session ended while this device still used it: `listParts`/`signParts` answered CONFLICT,
 * because another request completed it (a tab killed while `complete` was on its way) or it was aborted.
 * The session is dropped and the capture begun again, whose answer gives the verdict or a new session.
 */
export class SessionEndedError extends Error {
  override readonly name = 'SessionEndedError';
}

/** Runs `call`, turning a CONFLICT that `ended` accepts into {@link SessionEndedError} (with `message`, if given). */
async function endingSessionOn<T>(
  call: () => Promise<T>,
  ended: (error: TransportError) => boolean,
  message?: string,
): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof TransportError && error.code === 'CONFLICT' && ended(error)) {
      throw new SessionEndedError(message ?? error.message, { cause: error });
    }
    throw error;
  }
}

/** Runs a call on an open session (`listParts`, `signParts`), turning its CONFLICT into {@link SessionEndedError}. */
export function whileSessionOpen<T>(call: () => Promise<T>): Promise<T> {
  return endingSessionOn(call, () => true);
}

/**
 * Runs `uploads.complete`, turning its CONFLICT "nothing uploaded for this session" into
 * {@link SessionEndedError}: storage lost what this device had sent, so the session is dropped and the
 * bytes go again (the local copy is kept until verified), instead of the capture waiting for the user.
 */
export function whileBytesStored<T>(call: () => Promise<T>): Promise<T> {
  return endingSessionOn(
    call,
    (error) => error.reason === NOT_UPLOADED_REASON,
    'Storage no longer holds the bytes sent; sending them again.',
  );
}

/** The capture's bytes are gone from this device and the server does not have them either. */
export class LocalCopyMissingError extends Error {
  override readonly name = 'LocalCopyMissingError';
  constructor() {
    super('The bytes of this capture are missing on this device.');
  }
}

/** True for the error an aborted fetch or hash throws. */
export function isAbortError(error: unknown): boolean {
  return (error instanceof DOMException || error instanceof Error) && error.name === 'AbortError';
}

/**
 * Classifies an error. Unknown errors (bugs, a transport that forgot to wrap) are retried with backoff:
 * the capture is never lost or given up on because of our own mistake.
 */
export function classifyError(error: unknown): Failure {
  // Gone from the outbox (discarded, maybe in another tab): nothing is left to upload or to record.
  if (isAbortError(error) || error instanceof CaptureNotFoundError) return { kind: 'cancelled' };
  if (error instanceof SessionEndedError) return { kind: 'session-lost', message: error.message };
  if (error instanceof LocalCopyMissingError) {
    return { kind: 'permanent', code: 'LOCAL_COPY_MISSING', message: error.message };
  }
  if (!(error instanceof TransportError)) {
    const message = error instanceof Error ? error.message : String(error);
    return { kind: 'retry', code: 'UNEXPECTED', message };
  }
  if (error.status === null) return { kind: 'offline', message: 'No connection.' };
  if (error.code) return fromCode(error.code, error);
  if (error.errorPage) return fromErrorPage(error.status, error);
  return fromStatus(error.status, error);
}
