// HMAC presigning of the fs backend: every signed field is bound, expiry is enforced.
import { describe, expect, it } from 'vitest';
import { signQuery, verifyQuery } from './fs-signing.js';
import type { SignedParams } from './fs-signing.js';

const secret = 'test-secret-0123456789abcdef';
const params: SignedParams = {
  method: 'PUT',
  key: 'org/a.jpg',
  expires: 2_000_000_000,
  uploadId: 'a'.repeat(32),
  partNumber: 2,
  size: 100,
  md5: 'XUFAKrxLKna5cZ2REBfFkg==',
};

const check = (
  query: URLSearchParams,
  over: Partial<{ method: 'PUT' | 'GET'; key: string }> = {},
) => verifyQuery(secret, { method: 'PUT', key: 'org/a.jpg', query, ...over }, 1_000_000_000_000);

describe('fs URL signing', () => {
  it('accepts an untouched query', () => {
    expect(check(new URLSearchParams(signQuery(secret, params)))).toEqual({ ok: true, params });
  });

  it.each([
    ['X-FV-Size', '101'],
    ['X-FV-Part', '3'],
    ['X-FV-Md5', 'AAAAAAAAAAAAAAAAAAAAAA=='],
    ['X-FV-Upload', 'b'.repeat(32)],
    ['X-FV-Expires', '2000000001'],
    ['X-FV-Sha256', 'f'.repeat(64)],
  ])('refuses a changed %s', (name, value) => {
    const query = new URLSearchParams(signQuery(secret, params));
    query.set(name, value);
    expect(check(query)).toEqual({ ok: false, reason: 'signature' });
  });

  it('refuses another key, another method or another secret', () => {
    const query = new URLSearchParams(signQuery(secret, params));
    expect(check(query, { key: 'org/b.jpg' }).ok).toBe(false);
    expect(check(query, { method: 'GET' }).ok).toBe(false);
    expect(
      verifyQuery('other-secret-0123456789', { method: 'PUT', key: 'org/a.jpg', query }).ok,
    ).toBe(false);
  });

  it('refuses an expired URL with a valid signature', () => {
    const query = new URLSearchParams(signQuery(secret, { ...params, expires: 999_999_999 }));
    expect(check(query)).toEqual({ ok: false, reason: 'expired' });
  });
});
