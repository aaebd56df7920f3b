// One mapping from FieldVault's shared error codes to TRPCError (cause kept), and the wire shape clients read.
import { TRPCError } from '@trpc/server';
import { ERRORS, FieldVaultError, type ErrorCode } from '@fieldvault/shared/errors';
import { fieldErrors } from '@fieldvault/shared/schemas';
import { z } from 'zod';

/** Turn any thrown value into a TRPCError; FieldVaultErrors keep their code, message and details. */
export function toTRPCError(error: unknown): TRPCError {
  if (error instanceof TRPCError) return error;
  if (error instanceof FieldVaultError) {
    return new TRPCError({ code: ERRORS[error.code].trpc, message: error.message, cause: error });
  }
  return new TRPCError({
    code: 'INTERNAL_SERVER_ERROR',
    message: ERRORS.INTERNAL.message,
    cause: error,
  });
}

/** Default FieldVault code for a tRPC code when no FieldVaultError is behind it. */
const BY_TRPC_CODE: Partial<Record<TRPCError['code'], ErrorCode>> = {
  BAD_REQUEST: 'BAD_INPUT',
  PARSE_ERROR: 'BAD_INPUT',
  UNAUTHORIZED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  NOT_FOUND: 'NOT_FOUND',
  CONFLICT: 'CONFLICT',
  TOO_MANY_REQUESTS: 'RATE_LIMITED',
  PAYLOAD_TOO_LARGE: 'TOO_LARGE',
  METHOD_NOT_SUPPORTED: 'BAD_INPUT',
  // A body that is not JSON (a cross-site `text/plain` form post): the client's fault, not ours.
  UNSUPPORTED_MEDIA_TYPE: 'BAD_INPUT',
};

/** The extra fields FieldVault adds to every error's `data`. */
export interface FieldVaultErrorData {
  /** The shared error code (`BAD_INPUT`, `NOT_FOUND`, …). */
  errorCode: ErrorCode;
  retryable: boolean;
  details: unknown;
  /** For invalid input: `z.flattenError` of the zod error (top-level fields). */
  zodError: { formErrors: string[]; fieldErrors: Record<string, string[] | undefined> } | null;
  /** For invalid input: messages by dotted field path (`parts.2.etag`), shared's `fieldErrors`. */
  fieldErrors: Record<string, string[]> | null;
}

/** "email: Invalid email address; password: Too small" — names each bad field. */
function describeZodError(error: z.ZodError): string {
  return error.issues
    .map((issue) => `${issue.path.length ? issue.path.join('.') : 'input'}: ${issue.message}`)
    .join('; ');
}

/** Compute the FieldVault part of an error's shape, and the message safe to send. */
export function fieldVaultErrorShape(error: TRPCError): {
  message: string;
  data: FieldVaultErrorData;
} {
  const cause = error.cause;
  if (cause instanceof z.ZodError) {
    return {
      message: `Invalid input: ${describeZodError(cause)}`,
      data: {
        errorCode: 'BAD_INPUT',
        retryable: false,
        details: null,
        zodError: z.flattenError(cause),
        fieldErrors: fieldErrors(cause),
      },
    };
  }
  if (cause instanceof FieldVaultError) {
    return {
      message: error.message,
      data: {
        errorCode: cause.code,
        retryable: cause.retryable,
        details: cause.details ?? null,
        zodError: null,
        fieldErrors: null,
      },
    };
  }
  const errorCode = BY_TRPC_CODE[error.code] ?? 'INTERNAL';
  // Unexpected errors never leak their message (SQL, paths, stack) to the client.
  const message = errorCode === 'INTERNAL' ? ERRORS.INTERNAL.message : error.message;
  return {
    message,
    data: {
      errorCode,
      retryable: ERRORS[errorCode].retryable,
      details: null,
      zodError: null,
      fieldErrors: null,
    },
  };
}

/** True when the error is one we did not expect (logged as an error; expected refusals are info). */
export function isUnexpected(error: TRPCError): boolean {
  return (
    !(error.cause instanceof FieldVaultError) &&
    fieldVaultErrorShape(error).data.errorCode === 'INTERNAL'
  );
}
