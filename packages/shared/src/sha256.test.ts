// Digest encodings: known vectors, round trips against the platform's own base64, and validation edges.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  base64ToBytes,
  bytesToBase64,
  bytesToHex,
  hexToBytes,
  isMd5Base64,
  isSha256Base64,
  isSha256Hex,
  sha256Base64ToHex,
  sha256HexToBase64,
} from './sha256.js';

/** SHA-256 by the platform (WebCrypto exists in browsers, workers and Node 20). */
async function sha256(data: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest('SHA-256', new Uint8Array(data)));
}

/** The platform's base64, as an independent oracle. */
const platformBase64 = (data: Uint8Array): string => btoa(String.fromCharCode(...data));

const VECTORS = [
  {
    input: 'abc',
    hex: 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    base64: 'ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=',
  },
  {
    input: '',
    hex: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    base64: '47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=',
  },
];

describe('sha256 hex and base64', () => {
  it.each(VECTORS)(
    'converts the known digest of "$input" both ways',
    async ({ input, hex, base64 }) => {
      const digest = await sha256(new TextEncoder().encode(input));
      expect(bytesToHex(digest)).toBe(hex);
      expect(sha256HexToBase64(hex)).toBe(base64);
      expect(sha256Base64ToHex(base64)).toBe(hex);
    },
  );

  it('round-trips the digest of any bytes and agrees with the platform base64', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 256 }), async (data) => {
        const digest = await sha256(data);
        const hex = bytesToHex(digest);
        expect(isSha256Hex(hex)).toBe(true);
        expect(sha256HexToBase64(hex)).toBe(platformBase64(digest));
        expect(sha256Base64ToHex(sha256HexToBase64(hex))).toBe(hex);
      }),
    );
  });

  it('round-trips arbitrary bytes through base64 and hex', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100 }), (data) => {
        expect(bytesToBase64(data)).toBe(platformBase64(data));
        expect(base64ToBytes(bytesToBase64(data))).toEqual(data);
        expect(hexToBytes(bytesToHex(data))).toEqual(data);
      }),
    );
  });

  it.each([
    ['uppercase', 'BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD'],
    ['63 characters', 'a'.repeat(63)],
    ['65 characters', 'a'.repeat(65)],
    ['non-hex', 'g'.repeat(64)],
    ['surrounding space', ` ${'a'.repeat(64)}`],
    ['empty', ''],
  ])('rejects a SHA-256 hex that is %s', (_label, value) => {
    expect(isSha256Hex(value)).toBe(false);
    expect(() => sha256HexToBase64(value)).toThrow(TypeError);
  });

  it('validates base64 digests by length', () => {
    expect(isSha256Base64(VECTORS[0]?.base64 ?? '')).toBe(true);
    expect(isSha256Base64('1B2M2Y8AsgTpgAmY7PhCfg==')).toBe(false);
    expect(isMd5Base64('1B2M2Y8AsgTpgAmY7PhCfg==')).toBe(true);
    expect(isMd5Base64(VECTORS[0]?.base64 ?? '')).toBe(false);
    expect(() => sha256Base64ToHex('1B2M2Y8AsgTpgAmY7PhCfg==')).toThrow(TypeError);
  });

  it('refuses malformed hex and base64', () => {
    expect(() => hexToBytes('abc')).toThrow(TypeError);
    expect(() => hexToBytes('zz')).toThrow(TypeError);
    expect(() => base64ToBytes('abc')).toThrow(TypeError);
    expect(() => base64ToBytes('ab=c')).toThrow(TypeError);
  });
});
