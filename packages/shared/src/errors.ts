// The error codes the device and the server share: one catalogue, each code with its HTTP status, tRPC code and default message.

/** tRPC error codes this catalogue maps onto (a subset of `TRPC_ERROR_CODE_KEY`; no @trpc dependency here). */
export type TrpcErrorCode =
  | 'BAD_REQUEST'
  | 'UNAUTHORIZED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'PRECONDITION_FAILED'
  | 'PAYLOAD_TOO_LARGE'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'UNPROCESSABLE_CONTENT'
  | 'TOO_MANY_REQUESTS'
  | 'SERVICE_UNAVAILABLE'
  | 'INTERNAL_SERVER_ERROR';

/** What one error code means on the wire. */
export interface ErrorSpec {
  /** HTTP status; always the one tRPC itself uses for `trpc`, so the two never disagree. */
  readonly status: number;
  readonly trpc: TrpcErrorCode;
  /** True when the same request may succeed later unchanged (the sync engine backs off and retries). */
  readonly retryable: boolean;
  /** Default human message, safe to show to a user. */
  readonly message: string;
}

/** The HTTP status tRPC itself answers for each of its codes (from `@trpc/server`'s status map). */
const TRPC_STATUS: Readonly<Record<TrpcErrorCode, number>> = {
  BAD_REQUEST: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PRECONDITION_FAILED: 412,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  UNPROCESSABLE_CONTENT: 422,
  TOO_MANY_REQUESTS: 429,
  INTERNAL_SERVER_ERROR: 500,
  SERVICE_UNAVAILABLE: 503,
};

const spec = (trpc: TrpcErrorCode, message: string, retryable = false): ErrorSpec => ({
  status: TRPC_STATUS[trpc],
  trpc,
  retryable,
  message,
});

/** The catalogue. Adding a code is one line; both sides pick it up. */
export const ERRORS = {
  BAD_INPUT: spec('BAD_REQUEST', 'The request is not valid.'),
  NOT_ALLOWED_TYPE: spec('UNSUPPORTED_MEDIA_TYPE', 'This kind of file is not allowed here.'),
  TOO_LARGE: spec('PAYLOAD_TOO_LARGE', 'The file is larger than allowed.'),
  EMPTY_FILE: spec('BAD_REQUEST', 'The file is empty.'),
  TYPE_MISMATCH: spec('UNPROCESSABLE_CONTENT', 'The content does not match the file type.'),
  HASH_MISMATCH: spec('UNPROCESSABLE_CONTENT', 'The stored bytes differ from the capture.'),
  CONFLICT: spec('CONFLICT', 'This conflicts with something that already exists.'),
  // Another request is finishing the same thing (e.g. an upload being completed): the same request later
  // gets the final answer, so devices back off and retry instead of parking the capture.
  IN_PROGRESS: spec('CONFLICT', 'This is still in progress; try again shortly.', true),
  NOT_FOUND: spec('NOT_FOUND', 'Not found.'),
  FORBIDDEN: spec('FORBIDDEN', 'You are not allowed to do this.'),
  UNAUTHENTICATED: spec('UNAUTHORIZED', 'Please sign in.'),
  RETENTION_LOCKED: spec('PRECONDITION_FAILED', 'The file is under retention.'),
  RATE_LIMITED: spec('TOO_MANY_REQUESTS', 'Too many requests; try again shortly.', true),
  EXPIRED: spec('PRECONDITION_FAILED', 'This has expired; start again.'),
  STORAGE_UNAVAILABLE: spec('SERVICE_UNAVAILABLE', 'Storage is unavailable; try again.', true),
  INTERNAL: spec('INTERNAL_SERVER_ERROR', 'Something went wrong on our side.', true),
} as const satisfies Record<string, ErrorSpec>;

/** One of the shared error codes. */
export type ErrorCode = keyof typeof ERRORS;

/**
 * `details.reason` of a CONFLICT from `uploads.complete` when storage holds nothing for the session: the
 * device's record of stored bytes is wrong (storage lost them), so it drops the session and sends again.
 */
export const NOT_UPLOADED_REASON = 'NOT_UPLOADED';

/** Every error code, in catalogue order (for `z.enum` and exhaustive tests). */
export const ERROR_CODES = Object.keys(ERRORS) as [ErrorCode, ...ErrorCode[]];

/** True when `value` is one of the shared error codes. */
export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(ERRORS, value);
}

/** Optional parts of a {@link FieldVaultError}. */
export interface FieldVaultErrorOptions {
  /** Structured, user-safe data (e.g. which field, which reasons); travels to the client. */
  details?: unknown;
  /** The underlying error; kept for logs, never sent to the client. */
  cause?: unknown;
}

/** An expected failure with a shared code; the server maps it to a `TRPCError` in one place. */
export class FieldVaultError extends Error {
  override readonly name = 'FieldVaultError';
  readonly code: ErrorCode;
  readonly details: unknown;

  constructor(code: ErrorCode, message?: string, options: FieldVaultErrorOptions = {}) {
    super(message ?? ERRORS[code].message, { cause: options.cause });
    this.code = code;
    this.details = options.details;
  }

  /** HTTP status of this error's code. */
  get status(): number {
    return ERRORS[this.code].status;
  }

  /** tRPC code of this error's code. */
  get trpcCode(): TrpcErrorCode {
    return ERRORS[this.code].trpc;
  }

  /** Whether retrying the same request later may succeed. */
  get retryable(): boolean {
    return ERRORS[this.code].retryable;
  }
}

/** True when `error` is a {@link FieldVaultError} (optionally with the given code). */
export function isFieldVaultError(error: unknown, code?: ErrorCode): error is FieldVaultError {
  return error instanceof FieldVaultError && (code === undefined || error.code === code);
}

/** A factory making a {@link FieldVaultError} of one fixed code. */
export type ErrorFactory = (message?: string, options?: FieldVaultErrorOptions) => FieldVaultError;

/**
 * One factory per code: `fail.NOT_FOUND('No such file')`, `fail.BAD_INPUT(undefined, { details })`.
 * Built from {@link ERRORS}, so a new code gets its factory without another line.
 */
export const fail = Object.fromEntries(
  ERROR_CODES.map((code) => [
    code,
    (message?: string, options?: FieldVaultErrorOptions) =>
      new FieldVaultError(code, message, options),
  ]),
) as { readonly [K in ErrorCode]: ErrorFactory };

/** The JSON shape of an error as the client sees it (no cause, no stack). */
export interface ErrorBody {
  code: ErrorCode;
  message: string;
  details?: unknown;
}

/** Serialise any thrown value to an {@link ErrorBody}; unknown errors become `INTERNAL` with the default message. */
export function toErrorBody(error: unknown): ErrorBody {
  if (!isFieldVaultError(error)) return { code: 'INTERNAL', message: ERRORS.INTERNAL.message };
  return error.details === undefined
    ? { code: error.code, message: error.message }
    : { code: error.code, message: error.message, details: error.details };
}
