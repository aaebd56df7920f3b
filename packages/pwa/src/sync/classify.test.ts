// classifyError: a content-type refusal at complete parks the capture for the user instead of retrying it.
import { describe, expect, it } from 'vitest';
import { classifyError } from './classify';
import { TransportError } from './transport';

describe('classifyError', () => {
  it('TYPE_MISMATCH (bytes that are not their declared type) is a permanent refusal, never retried', () => {
    const message = 'The file was declared image/jpeg but its content is text/html';
    const error = new TransportError({ status: 422, code: 'TYPE_MISMATCH', message });
    expect(classifyError(error)).toEqual({ kind: 'permanent', code: 'TYPE_MISMATCH', message });
  });
});
