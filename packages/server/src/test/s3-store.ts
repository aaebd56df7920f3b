// Tests: an S3 store on a fresh bucket of the test S3 (Ceph RGW), optionally with Object Lock, and its teardown.
import { randomBytes } from 'node:crypto';
import {
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteObjectCommand,
  ListObjectVersionsCommand,
  PutObjectLegalHoldCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import type { TestS3Settings } from './ceph-global-setup.js';
import { S3ObjectStore } from '../storage/index.js';
import { createS3Client } from '../storage/s3/s3-client.js';
import { s3StoreConfigSchema, type S3StoreConfig } from '../storage/s3/s3-config.js';

/** A store on its own bucket and how to remove it (every version, then the bucket). */
export interface TestBucket {
  store: S3ObjectStore;
  bucket: string;
  destroy(): Promise<void>;
}

/** A fresh, uniquely named bucket on the test S3 (with Object Lock when asked), its store config and client. */
export async function createBucketOf(
  s3: TestS3Settings,
  options: { objectLock?: boolean; name?: string } = {},
): Promise<{ bucket: string; config: S3StoreConfig; client: S3Client }> {
  const bucket = `${options.name ?? 'fv-test'}-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
  const config: S3StoreConfig = {
    kind: 's3',
    endpoint: s3.endpoint,
    region: s3.region,
    bucket,
    accessKeyId: s3.accessKeyId,
    secretAccessKey: s3.secretAccessKey,
    forcePathStyle: s3.forcePathStyle,
  };
  const client = createS3Client(s3StoreConfigSchema.parse(config));
  await client.send(
    new CreateBucketCommand({
      Bucket: bucket,
      ...(options.objectLock ? { ObjectLockEnabledForBucket: true } : {}),
    }),
  );
  return { bucket, config, client };
}

/**
 * Remove every version and delete marker (lifting legal holds, bypassing GOVERNANCE retention), then
 * the bucket. A COMPLIANCE-locked version cannot go before its retain-until: it and its bucket stay.
 */
export async function deleteBucketOf(client: S3Client, bucket: string): Promise<void> {
  const listed = await client.send(new ListObjectVersionsCommand({ Bucket: bucket }));
  const versions = [...(listed.Versions ?? []), ...(listed.DeleteMarkers ?? [])];
  for (const v of versions) {
    const target = { Bucket: bucket, Key: v.Key, VersionId: v.VersionId };
    await client
      .send(new PutObjectLegalHoldCommand({ ...target, LegalHold: { Status: 'OFF' } }))
      .catch(() => undefined);
    await client
      .send(new DeleteObjectCommand({ ...target, BypassGovernanceRetention: true }))
      .catch(() => undefined);
  }
  await client.send(new DeleteBucketCommand({ Bucket: bucket })).catch(() => undefined);
}

/** Create a fresh bucket (with Object Lock when asked) and an S3ObjectStore on it. */
export async function createTestBucket(
  s3: TestS3Settings,
  options: { objectLock?: boolean; name?: string } = {},
): Promise<TestBucket> {
  const { bucket, config, client } = await createBucketOf(s3, options);
  const store = await S3ObjectStore.create(config);
  return {
    store,
    bucket,
    async destroy() {
      for await (const u of store.listMultipartUploads(''))
        await store.abortMultipart(u.key, u.uploadId);
      await deleteBucketOf(client, bucket);
    },
  };
}
