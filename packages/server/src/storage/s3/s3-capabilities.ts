// Start-up feature detection for S3-compatible storage: probe the bucket with tiny objects instead of trusting vendor docs.
import { createHash, randomBytes } from 'node:crypto';
import {
  DeleteObjectCommand,
  GetObjectLockConfigurationCommand,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import type { PutObjectCommandInput, S3Client } from '@aws-sdk/client-s3';
import { StorageError } from '../errors.js';
import type { StoreCapabilities } from '../object-store.js';
import type { S3StoreSettings } from './s3-config.js';
import { s3ErrorInfo } from './s3-errors.js';

/** SigV4 presigned URLs live at most 7 days. */
const SIGV4_MAX_EXPIRY = 7 * 24 * 3600;
const PROBE_PREFIX = '.fieldvault-probe/';

type Probe = { client: S3Client; bucket: string; key: string };

/**
 * Put a probe object; `true` when storage refused it with a 4xx (the behaviour under test), `false`
 * when it was accepted. Anything else (5xx, network, access denied) means we cannot tell: throw.
 */
async function refused(
  p: Probe,
  input: Omit<PutObjectCommandInput, 'Bucket' | 'Key'>,
): Promise<boolean> {
  try {
    await p.client.send(new PutObjectCommand({ Bucket: p.bucket, Key: p.key, ...input }));
    return false;
  } catch (err) {
    const { status, name } = s3ErrorInfo(err);
    if (status === 400 || status === 412 || name === 'BadDigest' || name === 'InvalidDigest')
      return true;
    throw new StorageError('unavailable', `capability probe failed (${name || 'no response'})`, {
      cause: err,
    });
  }
}

const body = Buffer.from('fieldvault capability probe');
const digest = (alg: 'md5' | 'sha256', b: Uint8Array): string =>
  createHash(alg).update(b).digest('base64');

/** Does storage check a signed `Content-MD5`? (AWS, Spaces, MinIO and Ceph all do.) */
function probeContentMd5(p: Probe): Promise<boolean> {
  return refused(p, { Body: body, ContentMD5: digest('md5', Buffer.from('other bytes')) });
}

/** Does storage check `x-amz-checksum-sha256`? (AWS and Ceph ≥ Reef do; Ceph Pacific ignores it.) */
function probeSha256(p: Probe): Promise<boolean> {
  return refused(p, { Body: body, ChecksumSHA256: digest('sha256', Buffer.from('other bytes')) });
}

/** Is `If-None-Match: *` enforced on PutObject? Writes the key once, then tries again conditionally. */
async function probeConditional(p: Probe): Promise<boolean> {
  await p.client.send(new PutObjectCommand({ Bucket: p.bucket, Key: p.key, Body: body }));
  return refused(p, { Body: body, IfNoneMatch: '*' });
}

async function probeObjectLock(client: S3Client, bucket: string): Promise<boolean> {
  try {
    const out = await client.send(new GetObjectLockConfigurationCommand({ Bucket: bucket }));
    return out.ObjectLockConfiguration?.ObjectLockEnabled === 'Enabled';
  } catch (err) {
    const { status } = s3ErrorInfo(err);
    if (status !== undefined && status < 500) return false; // ObjectLockConfigurationNotFoundError, 404, 501…
    throw new StorageError('unavailable', 'object lock probe failed', { cause: err });
  }
}

/**
 * Detect what the bucket enforces, probing only what `settings.capabilities` does not pin down.
 * Probe objects live under `.fieldvault-probe/` and are deleted afterwards (best effort: a bucket
 * with default retention keeps them).
 */
export async function detectCapabilities(
  client: S3Client,
  settings: S3StoreSettings,
): Promise<StoreCapabilities> {
  const pinned = settings.capabilities ?? {};
  const run = `${PROBE_PREFIX}${Date.now()}-${randomBytes(4).toString('hex')}`;
  const probe = (name: string): Probe => ({
    client,
    bucket: settings.bucket,
    key: `${run}/${name}`,
  });
  const [contentMd5Enforced, checksumSha256Enforced, conditionalWrites, objectLock] =
    await Promise.all([
      pinned.contentMd5Enforced ?? probeContentMd5(probe('md5')),
      pinned.checksumSha256Enforced ?? probeSha256(probe('sha256')),
      pinned.conditionalWrites ?? probeConditional(probe('if-none-match')),
      pinned.objectLock ?? probeObjectLock(client, settings.bucket),
    ]);
  await Promise.all(
    ['md5', 'sha256', 'if-none-match'].map((name) =>
      client
        .send(new DeleteObjectCommand({ Bucket: settings.bucket, Key: probe(name).key }))
        .catch(() => undefined),
    ),
  );
  return {
    backend: 's3',
    checksumSha256Enforced,
    contentMd5Enforced,
    conditionalWrites,
    objectLock,
    objectLockMode: settings.objectLockMode ?? null,
    maxPresignExpiry: SIGV4_MAX_EXPIRY,
  };
}
