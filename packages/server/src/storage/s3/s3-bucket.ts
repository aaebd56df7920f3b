// Dev/test bucket setup: create if missing, private, CORS for the PWA, optional Object Lock.
import {
  CreateBucketCommand,
  HeadBucketCommand,
  PutBucketCorsCommand,
  PutObjectLockConfigurationCommand,
} from '@aws-sdk/client-s3';
import type { S3Client } from '@aws-sdk/client-s3';
import type { RetentionMode } from '../object-store.js';
import { isNotFound } from './s3-errors.js';

/** What {@link ensureBucket} sets up. */
export interface EnsureBucketOptions {
  /** Origins of the PWA allowed to PUT/GET with presigned URLs, e.g. `['http://localhost:5173']`. */
  corsOrigins: readonly string[];
  /** Create the bucket with Object Lock; with `defaultRetention`, every new object is locked for that long. */
  objectLock?: boolean | { defaultRetention: { mode: RetentionMode; days: number } };
}

/**
 * Make `bucket` usable by FieldVault (dev/test; production buckets are provisioned by ops):
 * created if missing (private ACL, Object Lock when asked), CORS rules replaced with ours.
 * Returns whether the bucket was created.
 */
export async function ensureBucket(
  client: S3Client,
  bucket: string,
  options: EnsureBucketOptions,
): Promise<boolean> {
  let created = false;
  try {
    await client.send(new HeadBucketCommand({ Bucket: bucket }));
  } catch (err) {
    if (!isNotFound(err)) throw err;
    const lock = options.objectLock !== undefined && options.objectLock !== false;
    await client.send(
      new CreateBucketCommand({
        Bucket: bucket,
        ACL: 'private',
        ...(lock ? { ObjectLockEnabledForBucket: true } : {}),
      }),
    );
    created = true;
  }
  await client.send(
    new PutBucketCorsCommand({
      Bucket: bucket,
      CORSConfiguration: {
        CORSRules: [
          {
            AllowedOrigins: [...options.corsOrigins],
            AllowedMethods: ['PUT', 'GET', 'HEAD'],
            AllowedHeaders: ['*'],
            // Without ExposeHeaders ETag, browsers cannot read part ETags and multipart cannot complete.
            ExposeHeaders: ['ETag'],
            MaxAgeSeconds: 600,
          },
        ],
      },
    }),
  );
  if (typeof options.objectLock === 'object') {
    const { mode, days } = options.objectLock.defaultRetention;
    await client.send(
      new PutObjectLockConfigurationCommand({
        Bucket: bucket,
        ObjectLockConfiguration: {
          ObjectLockEnabled: 'Enabled',
          Rule: { DefaultRetention: { Mode: mode, Days: days } },
        },
      }),
    );
  }
  return created;
}
