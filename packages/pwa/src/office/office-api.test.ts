// Unit tests: what the office screens are told when a call fails.
import { TRPCClientError } from '@trpc/client';
import { describe, expect, it } from 'vitest';
import { OfficeError, toOfficeError } from './office-api';

function serverError(httpStatus: number, message = 'raw') {
  return new TRPCClientError(message, {
    result: {
      error: { code: -32600, message, data: { httpStatus, details: { retentionUntil: 'x' } } },
    },
  });
}

describe('toOfficeError', () => {
  it('calls a failure without any HTTP answer offline, whatever threw', () => {
    expect(toOfficeError(new TypeError('Failed to fetch')).kind).toBe('offline');
    expect(toOfficeError(new TRPCClientError('Failed to fetch')).kind).toBe('offline');
  });

  it('sorts server answers by status, with words for the common ones and details kept', () => {
    expect(toOfficeError(serverError(403))).toMatchObject({
      kind: 'forbidden',
      message: 'Your role may not do this.',
    });
    expect(toOfficeError(serverError(401)).kind).toBe('signed-out');
    expect(toOfficeError(serverError(404)).kind).toBe('not-found');
    const locked = toOfficeError(serverError(412, 'The file is under retention.'));
    expect(locked).toMatchObject({ kind: 'locked', message: 'The file is under retention.' });
    expect(locked.details).toEqual({ retentionUntil: 'x' });
    expect(toOfficeError(serverError(500, 'Something went wrong on our side.')).kind).toBe(
      'server',
    );
  });

  it('passes an OfficeError through unchanged', () => {
    const error = new OfficeError('x', 'conflict');
    expect(toOfficeError(error)).toBe(error);
  });
});
