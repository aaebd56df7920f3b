// SHA-256 and MD5 digest encodings: hex (how FieldVault names a hash) and base64 (how S3 headers carry one).

/** Exactly 64 lowercase hex characters. */
export const SHA256_HEX_PATTERN = /^[0-9a-f]{64}$/;
/** Padded base64 of 16 bytes. */
export const MD5_BASE64_PATTERN = /^[A-Za-z0-9+/]{22}==$/;
const SHA256_BASE64 = /^[A-Za-z0-9+/]{43}=$/;

/** True when `value` is exactly 64 lowercase hex characters (the only form FieldVault stores). */
export function isSha256Hex(value: string): boolean {
  return SHA256_HEX_PATTERN.test(value);
}

/** True when `value` is the base64 form of a 32-byte digest (as in `x-amz-checksum-sha256`). */
export function isSha256Base64(value: string): boolean {
  return SHA256_BASE64.test(value);
}

/** True when `value` is the base64 form of a 16-byte MD5 digest (as in `Content-MD5`). */
export function isMd5Base64(value: string): boolean {
  return MD5_BASE64_PATTERN.test(value);
}

/** Lowercase hex of the given bytes. */
export function bytesToHex(bytes: Uint8Array): string {
  let out = '';
  for (const byte of bytes) out += byte.toString(16).padStart(2, '0');
  return out;
}

/** Bytes of an even-length hex string; throws on anything that is not hex. */
export function hexToBytes(hex: string): Uint8Array {
  if (hex.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(hex)) {
    throw new TypeError('hexToBytes: not a hex string');
  }
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const B64_INDEX = new Map([...B64].map((ch, i) => [ch, i]));

/** Standard (padded) base64 of the given bytes; works the same in browsers, workers and Node. */
export function bytesToBase64(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const a = bytes[i] ?? 0;
    const b = bytes[i + 1] ?? 0;
    const c = bytes[i + 2] ?? 0;
    const n = (a << 16) | (b << 8) | c;
    out += B64[(n >> 18) & 63] ?? '';
    out += B64[(n >> 12) & 63] ?? '';
    out += i + 1 < bytes.length ? (B64[(n >> 6) & 63] ?? '') : '=';
    out += i + 2 < bytes.length ? (B64[n & 63] ?? '') : '=';
  }
  return out;
}

/** Bytes of a standard padded base64 string; throws on malformed input. */
export function base64ToBytes(b64: string): Uint8Array {
  if (b64.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(b64)) {
    throw new TypeError('base64ToBytes: not padded base64');
  }
  const pad = b64.endsWith('==') ? 2 : b64.endsWith('=') ? 1 : 0;
  const out = new Uint8Array((b64.length / 4) * 3 - pad);
  let o = 0;
  for (let i = 0; i < b64.length; i += 4) {
    let n = 0;
    for (let j = 0; j < 4; j++) n = (n << 6) | (B64_INDEX.get(b64[i + j] ?? '=') ?? 0);
    for (const shift of [16, 8, 0]) if (o < out.length) out[o++] = (n >> shift) & 255;
  }
  return out;
}

/** `x-amz-checksum-sha256` form (base64) of a hex SHA-256; throws unless `hex` is a valid SHA-256 hex. */
export function sha256HexToBase64(hex: string): string {
  if (!isSha256Hex(hex)) throw new TypeError('sha256HexToBase64: expected 64 lowercase hex chars');
  return bytesToBase64(hexToBytes(hex));
}

/** Hex form of a base64 SHA-256 (as S3 returns it); throws unless it decodes to 32 bytes. */
export function sha256Base64ToHex(b64: string): string {
  if (!isSha256Base64(b64)) throw new TypeError('sha256Base64ToHex: expected base64 of 32 bytes');
  return bytesToHex(base64ToBytes(b64));
}
