// Assert on a failed procedure call the way a client sees it: the shared error code, the message, the bad fields.
import { TRPCError } from '@trpc/server';
import { expect } from 'vitest';
import type { ErrorCode } from '@fieldvault/shared/errors';
import { fieldVaultErrorShape, type FieldVaultErrorData } from '../trpc/errors.js';

export interface CaughtError {
  code: ErrorCode;
  message: string;
  data: FieldVaultErrorData;
}

/** Await a call that must fail; returns its client-visible shape. */
export async function caught(promise: Promise<unknown>): Promise<CaughtError> {
  try {
    await promise;
  } catch (err) {
    expect(err).toBeInstanceOf(TRPCError);
    const shape = fieldVaultErrorShape(err as TRPCError);
    return { code: shape.data.errorCode, message: shape.message, data: shape.data };
  }
  throw new Error('expected the call to fail, but it succeeded');
}

/** Await a call that must fail with `code`. */
export async function expectCode(promise: Promise<unknown>, code: ErrorCode): Promise<CaughtError> {
  const error = await caught(promise);
  expect(error.code, error.message).toBe(code);
  return error;
}
