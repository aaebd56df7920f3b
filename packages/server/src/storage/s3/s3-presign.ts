// Presigned S3 requests that bind the bytes: which headers get signed, and which the client must send back.
import { GetObjectCommand, PutObjectCommand, UploadPartCommand } from '@aws-sdk/client-s3';
import type { PutObjectCommandInput, S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { sha256HexToBase64 } from '@fieldvault/shared/sha256';
import { contentDisposition } from '../content-disposition.js';
import { StorageError } from '../errors.js';
import type {
  PresignedRequest,
  PresignGetOptions,
  PresignPartOptions,
  PresignPutOptions,
  StoreCapabilities,
} from '../object-store.js';
import type { S3StoreSettings } from './s3-config.js';

/**
 * `x-amz-*` headers must stay headers: hoisted into the query string, `x-amz-checksum-sha256` is
 * not checked by S3, and SSE headers are refused there.
 */
const UNHOISTABLE = new Set([
  'x-amz-checksum-sha256',
  'x-amz-server-side-encryption',
  'x-amz-server-side-encryption-aws-kms-key-id',
]);
/** The presigner leaves Content-Type unsigned by default; we bind it so the stored type is the validated one. */
const SIGNABLE = new Set(['content-type']);

/** Context every presign needs. */
export interface PresignContext {
  client: S3Client;
  settings: S3StoreSettings;
  caps: StoreCapabilities;
}

function sseInput(
  settings: S3StoreSettings,
): Pick<PutObjectCommandInput, 'ServerSideEncryption' | 'SSEKMSKeyId'> {
  if (!settings.sse) return {};
  if (settings.sse.type === 'AES256') return { ServerSideEncryption: 'AES256' };
  return {
    ServerSideEncryption: 'aws:kms',
    ...(settings.sse.kmsKeyId ? { SSEKMSKeyId: settings.sse.kmsKeyId } : {}),
  };
}

/** SSE request fields and the matching headers the client must send. */
export function sseHeaders(settings: S3StoreSettings): {
  input: ReturnType<typeof sseInput>;
  headers: Record<string, string>;
} {
  const input = sseInput(settings);
  const headers: Record<string, string> = {};
  if (input.ServerSideEncryption)
    headers['x-amz-server-side-encryption'] = input.ServerSideEncryption;
  if (input.SSEKMSKeyId) headers['x-amz-server-side-encryption-aws-kms-key-id'] = input.SSEKMSKeyId;
  return { input, headers };
}

function expiry(ctx: PresignContext, expiresIn: number): Date {
  if (!Number.isInteger(expiresIn) || expiresIn < 1 || expiresIn > ctx.caps.maxPresignExpiry) {
    throw new RangeError(`expiresIn must be 1..${ctx.caps.maxPresignExpiry} seconds`);
  }
  return new Date(Date.now() + expiresIn * 1000);
}

/**
 * Single PUT. Content-Length (size), Content-Type, the digest storage enforces (`x-amz-checksum-sha256`
 * as a header, else `Content-MD5`) and `If-None-Match: *` (where enforced) are all signed.
 */
export async function presignPutUrl(
  ctx: PresignContext,
  key: string,
  o: PresignPutOptions,
): Promise<PresignedRequest> {
  const expiresAt = expiry(ctx, o.expiresIn);
  const sse = sseHeaders(ctx.settings);
  const input: PutObjectCommandInput = {
    Bucket: ctx.settings.bucket,
    Key: key,
    ContentType: o.contentType,
    ContentLength: o.size,
    ...sse.input,
  };
  const headers: Record<string, string> = { 'Content-Type': o.contentType, ...sse.headers };
  const sha = ctx.caps.checksumSha256Enforced;
  if (!sha && (o.contentMd5 === undefined || !ctx.caps.contentMd5Enforced)) {
    throw new StorageError(
      'integrity_unbound',
      'this storage enforces no SHA-256 checksum: contentMd5 is required',
    );
  }
  if (sha) input.ChecksumSHA256 = headers['x-amz-checksum-sha256'] = sha256HexToBase64(o.sha256);
  if (o.contentMd5 !== undefined) input.ContentMD5 = headers['Content-MD5'] = o.contentMd5;
  if (ctx.caps.conditionalWrites) input.IfNoneMatch = headers['If-None-Match'] = '*';
  const url = await getSignedUrl(ctx.client, new PutObjectCommand(input), {
    expiresIn: o.expiresIn,
    unhoistableHeaders: UNHOISTABLE,
    signableHeaders: SIGNABLE,
  });
  return { method: 'PUT', url, headers, expiresAt };
}

/** One part of a multipart upload; size (Content-Length) and `Content-MD5` are signed when given. */
export async function presignPartUrl(
  ctx: PresignContext,
  target: { key: string; uploadId: string; partNumber: number },
  o: PresignPartOptions,
): Promise<PresignedRequest> {
  const expiresAt = expiry(ctx, o.expiresIn);
  const headers: Record<string, string> = {};
  const command = new UploadPartCommand({
    Bucket: ctx.settings.bucket,
    Key: target.key,
    UploadId: target.uploadId,
    PartNumber: target.partNumber,
    ...(o.size !== undefined ? { ContentLength: o.size } : {}),
    ...(o.contentMd5 !== undefined ? { ContentMD5: (headers['Content-MD5'] = o.contentMd5) } : {}),
  });
  const url = await getSignedUrl(ctx.client, command, {
    expiresIn: o.expiresIn,
    unhoistableHeaders: UNHOISTABLE,
  });
  return { method: 'PUT', url, headers, expiresAt };
}

/** Presigned GET with response overrides; served from the CDN origin when one is configured (see s3-config). */
export async function presignGetUrl(
  ctx: PresignContext,
  key: string,
  o: PresignGetOptions,
): Promise<PresignedRequest> {
  const expiresAt = expiry(ctx, o.expiresIn);
  const command = new GetObjectCommand({
    Bucket: ctx.settings.bucket,
    Key: key,
    ...(o.downloadName !== undefined || o.disposition !== undefined
      ? { ResponseContentDisposition: contentDisposition(o.downloadName, o.disposition) }
      : {}),
    ...(o.contentType !== undefined ? { ResponseContentType: o.contentType } : {}),
  });
  let url = await getSignedUrl(ctx.client, command, { expiresIn: o.expiresIn });
  if (ctx.settings.cdnUrl !== undefined) {
    const signed = new URL(url);
    const cdn = new URL(ctx.settings.cdnUrl);
    signed.protocol = cdn.protocol;
    signed.host = cdn.host;
    url = signed.toString();
  }
  return { method: 'GET', url, headers: {}, expiresAt };
}
