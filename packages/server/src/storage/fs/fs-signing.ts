// HMAC-SHA256 signatures for the fs backend's own presigned URLs: every parameter that binds the bytes is signed.
import { createHmac, timingSafeEqual } from 'node:crypto';

/** What a signed URL allows: one method on one key (and part), with the bytes bound by size and digests. */
export interface SignedParams {
  method: 'PUT' | 'GET';
  key: string;
  /** Unix seconds. */
  expires: number;
  uploadId?: string;
  partNumber?: number;
  size?: number;
  sha256?: string;
  /** Base64 MD5, as in Content-MD5. */
  md5?: string;
  contentType?: string;
  disposition?: string;
}

/** Query parameter names, in the order they are signed. The key itself is the URL path. */
const FIELDS = {
  expires: 'X-FV-Expires',
  uploadId: 'X-FV-Upload',
  partNumber: 'X-FV-Part',
  size: 'X-FV-Size',
  sha256: 'X-FV-Sha256',
  md5: 'X-FV-Md5',
  contentType: 'X-FV-Type',
  disposition: 'X-FV-Disposition',
} as const satisfies Partial<Record<keyof SignedParams, string>>;
const SIGNATURE = 'X-FV-Signature';

/** Canonical string: one line per field, absent fields as empty lines, so no two param sets collide. */
function canonical(p: SignedParams): string {
  return [
    'FV1',
    p.method,
    p.key,
    p.expires,
    p.uploadId ?? '',
    p.partNumber ?? '',
    p.size ?? '',
    p.sha256 ?? '',
    p.md5 ?? '',
    p.contentType ?? '',
    p.disposition ?? '',
  ].join('\n');
}

function hmac(secret: string, p: SignedParams): string {
  return createHmac('sha256', secret).update(canonical(p)).digest('hex');
}

/** Query string (without `?`) carrying the params and their signature. */
export function signQuery(secret: string, params: SignedParams): string {
  const query = new URLSearchParams();
  for (const [field, name] of Object.entries(FIELDS)) {
    const value = params[field as keyof typeof FIELDS];
    if (value !== undefined) query.set(name, String(value));
  }
  query.set(SIGNATURE, hmac(secret, params));
  return query.toString();
}

/** Outcome of checking a request against its signature. */
export type VerifyResult =
  { ok: true; params: SignedParams } | { ok: false; reason: 'signature' | 'expired' };

function optionalInt(value: string | null): number | undefined {
  return value === null ? undefined : Number(value);
}

/** Rebuild the signed params from a request (method, decoded key, query). */
function paramsFromQuery(method: 'PUT' | 'GET', key: string, q: URLSearchParams): SignedParams {
  const params: SignedParams = { method, key, expires: Number(q.get(FIELDS.expires)) };
  const uploadId = q.get(FIELDS.uploadId);
  const partNumber = optionalInt(q.get(FIELDS.partNumber));
  const size = optionalInt(q.get(FIELDS.size));
  const strings = {
    sha256: FIELDS.sha256,
    md5: FIELDS.md5,
    contentType: FIELDS.contentType,
    disposition: FIELDS.disposition,
  };
  if (uploadId !== null) params.uploadId = uploadId;
  if (partNumber !== undefined) params.partNumber = partNumber;
  if (size !== undefined) params.size = size;
  for (const [field, name] of Object.entries(strings)) {
    const value = q.get(name);
    if (value !== null) params[field as keyof typeof strings] = value;
  }
  return params;
}

/**
 * Check the signature (constant time) and then the expiry. A tampered key, method or parameter
 * fails the signature; a valid signature past its expiry is `expired`. Both answer 403.
 */
export function verifyQuery(
  secret: string,
  request: { method: 'PUT' | 'GET'; key: string; query: URLSearchParams },
  now = Date.now(),
): VerifyResult {
  const params = paramsFromQuery(request.method, request.key, request.query);
  const given = Buffer.from(request.query.get(SIGNATURE) ?? '', 'utf8');
  const expected = Buffer.from(hmac(secret, params), 'utf8');
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    return { ok: false, reason: 'signature' };
  if (!Number.isFinite(params.expires) || params.expires * 1000 < now)
    return { ok: false, reason: 'expired' };
  return { ok: true, params };
}
