// The error catalogue: every code maps to a status tRPC agrees with, and the factories keep code, details and cause.
import { describe, expect, it } from 'vitest';
import {
  ERRORS,
  ERROR_CODES,
  FieldVaultError,
  fail,
  isErrorCode,
  isFieldVaultError,
  toErrorBody,
} from './errors.js';

describe('error catalogue', () => {
  it('contains the codes both sides rely on', () => {
    expect(ERROR_CODES).toEqual(
      expect.arrayContaining([
        'BAD_INPUT',
        'NOT_ALLOWED_TYPE',
        'TOO_LARGE',
        'EMPTY_FILE',
        'TYPE_MISMATCH',
        'HASH_MISMATCH',
        'CONFLICT',
        'NOT_FOUND',
        'FORBIDDEN',
        'UNAUTHENTICATED',
        'RETENTION_LOCKED',
        'RATE_LIMITED',
        'EXPIRED',
        'STORAGE_UNAVAILABLE',
        'INTERNAL',
      ]),
    );
  });

  it.each([
    ['BAD_INPUT', 400, 'BAD_REQUEST'],
    ['NOT_ALLOWED_TYPE', 415, 'UNSUPPORTED_MEDIA_TYPE'],
    ['TOO_LARGE', 413, 'PAYLOAD_TOO_LARGE'],
    ['TYPE_MISMATCH', 422, 'UNPROCESSABLE_CONTENT'],
    ['HASH_MISMATCH', 422, 'UNPROCESSABLE_CONTENT'],
    ['UNAUTHENTICATED', 401, 'UNAUTHORIZED'],
    ['RETENTION_LOCKED', 412, 'PRECONDITION_FAILED'],
    ['RATE_LIMITED', 429, 'TOO_MANY_REQUESTS'],
    ['STORAGE_UNAVAILABLE', 503, 'SERVICE_UNAVAILABLE'],
    ['INTERNAL', 500, 'INTERNAL_SERVER_ERROR'],
    ['IN_PROGRESS', 409, 'CONFLICT'],
  ] as const)('maps %s to HTTP %i and tRPC %s', (code, status, trpc) => {
    expect(ERRORS[code]).toMatchObject({ status, trpc });
  });

  it.each(ERROR_CODES)('%s has a default message', (code) => {
    expect(ERRORS[code].message).toMatch(/^[A-Z].+\.$/);
  });

  it('marks only transient failures retryable', () => {
    const retryable = ERROR_CODES.filter((code) => ERRORS[code].retryable);
    expect(retryable.sort()).toEqual([
      'INTERNAL',
      'IN_PROGRESS',
      'RATE_LIMITED',
      'STORAGE_UNAVAILABLE',
    ]);
  });

  it('recognises codes, and nothing from the prototype', () => {
    expect(isErrorCode('NOT_FOUND')).toBe(true);
    expect(isErrorCode('toString')).toBe(false);
    expect(isErrorCode(404)).toBe(false);
  });
});

describe('FieldVaultError', () => {
  it('has one factory per code that keeps details and cause', () => {
    const cause = new Error('disk on fire');
    const error = fail.STORAGE_UNAVAILABLE('Bucket down', { details: { backend: 's3' }, cause });
    expect(error).toBeInstanceOf(FieldVaultError);
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({
      name: 'FieldVaultError',
      code: 'STORAGE_UNAVAILABLE',
      message: 'Bucket down',
      details: { backend: 's3' },
      cause,
    });
    expect([error.status, error.trpcCode, error.retryable]).toEqual([
      503,
      'SERVICE_UNAVAILABLE',
      true,
    ]);
    expect(Object.keys(fail).sort()).toEqual([...ERROR_CODES].sort());
  });

  it('falls back to the default message', () => {
    expect(fail.NOT_FOUND().message).toBe(ERRORS.NOT_FOUND.message);
  });

  it('is told apart from other errors, optionally by code', () => {
    const error = fail.CONFLICT();
    expect(isFieldVaultError(error)).toBe(true);
    expect(isFieldVaultError(error, 'CONFLICT')).toBe(true);
    expect(isFieldVaultError(error, 'NOT_FOUND')).toBe(false);
    expect(isFieldVaultError(new Error('x'))).toBe(false);
  });

  it('serialises to a body without cause or stack, hiding unexpected errors', () => {
    const body = toErrorBody(
      fail.BAD_INPUT('Bad size', { details: { field: 'size' }, cause: new Error('x') }),
    );
    expect(body).toEqual({ code: 'BAD_INPUT', message: 'Bad size', details: { field: 'size' } });
    expect(toErrorBody(fail.FORBIDDEN())).toEqual({
      code: 'FORBIDDEN',
      message: ERRORS.FORBIDDEN.message,
    });
    expect(toErrorBody(new Error('SELECT * FROM secrets'))).toEqual({
      code: 'INTERNAL',
      message: ERRORS.INTERNAL.message,
    });
  });
});
