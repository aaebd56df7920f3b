// Test kit for Object Lock on the test S3 (Ceph RGW): a bucket of its own, created with ObjectLockEnabledForBucket, and a store with a lock mode.
import {
  GetObjectLegalHoldCommand,
  HeadObjectCommand,
  ListObjectVersionsCommand,
} from '@aws-sdk/client-s3';
import type { S3Client } from '@aws-sdk/client-s3';
import type { TestS3Settings } from '../test/ceph-global-setup.js';
import { createBucketOf, deleteBucketOf } from '../test/s3-store.js';
import type { RetentionMode } from '../storage/object-store.js';
import { S3ObjectStore } from '../storage/s3/s3-store.js';
import type { S3StoreConfig } from '../storage/s3/s3-config.js';

/** A fresh bucket, its client, a config for more stores on it, and its teardown. */
export interface LockBucket {
  bucket: string;
  client: S3Client;
  config: S3StoreConfig;
  /** A store on the bucket with `mode` (null: Object Lock mode off). */
  store(mode: RetentionMode | null): Promise<S3ObjectStore>;
  /** Every version under `prefix` (delete markers included). */
  versions(prefix: string): Promise<{ key: string; versionId: string; marker: boolean }[]>;
  /** Mode, retain-until, legal hold and version of the current object. */
  lockOf(key: string): Promise<{
    mode?: string;
    until?: Date;
    legalHold?: string;
    versionId?: string;
  }>;
  legalHoldOf(key: string): Promise<string | undefined>;
  destroy(): Promise<void>;
}

/**
 * Create a bucket of our own (with Object Lock unless `objectLock: false`). Tests use GOVERNANCE so
 * teardown can bypass it; a COMPLIANCE object cannot be removed before its retain-until, so teardown
 * leaves it (and its bucket) behind — keep COMPLIANCE objects to one, with a one-day retention.
 */
export async function createLockBucket(
  s3: TestS3Settings,
  options: { name: string; objectLock?: boolean },
): Promise<LockBucket> {
  const { bucket, config, client } = await createBucketOf(s3, {
    name: options.name,
    objectLock: options.objectLock ?? true,
  });
  const versions: LockBucket['versions'] = async (prefix) => {
    const out = await client.send(
      new ListObjectVersionsCommand({ Bucket: bucket, Prefix: prefix }),
    );
    return [
      ...(out.Versions ?? []).map((v) => ({ ...v, marker: false })),
      ...(out.DeleteMarkers ?? []).map((v) => ({ ...v, marker: true })),
    ].map((v) => ({ key: v.Key ?? '', versionId: v.VersionId ?? '', marker: v.marker }));
  };
  return {
    bucket,
    client,
    config,
    store: (mode) => S3ObjectStore.create({ ...config, ...(mode ? { objectLockMode: mode } : {}) }),
    versions,
    async lockOf(key) {
      const h = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
      return {
        ...(h.ObjectLockMode ? { mode: h.ObjectLockMode } : {}),
        ...(h.ObjectLockRetainUntilDate ? { until: h.ObjectLockRetainUntilDate } : {}),
        ...(h.ObjectLockLegalHoldStatus ? { legalHold: h.ObjectLockLegalHoldStatus } : {}),
        ...(h.VersionId ? { versionId: h.VersionId } : {}),
      };
    },
    async legalHoldOf(key) {
      const out = await client.send(new GetObjectLegalHoldCommand({ Bucket: bucket, Key: key }));
      return out.LegalHold?.Status;
    },
    destroy: () => deleteBucketOf(client, bucket),
  };
}
