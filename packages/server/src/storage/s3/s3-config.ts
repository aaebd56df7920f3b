// Configuration of the S3-compatible backend (AWS S3, DigitalOcean Spaces, MinIO, Ceph RGW, R2); env.ts maps env vars into it.
import { z } from 'zod';

/** Capabilities that may be pinned by configuration instead of probed at start-up. */
export const capabilityOverrideSchema = z
  .object({
    checksumSha256Enforced: z.boolean(),
    contentMd5Enforced: z.boolean(),
    conditionalWrites: z.boolean(),
    objectLock: z.boolean(),
  })
  .partial();

/** The s3 backend's settings (S3_ENDPOINT, S3_REGION, S3_BUCKET, S3_ACCESS_KEY_ID, S3_SECRET_ACCESS_KEY, …). */
export const s3StoreConfigSchema = z.object({
  kind: z.literal('s3'),
  /** Omit for AWS; e.g. `https://fra1.digitaloceanspaces.com`, `http://127.0.0.1:7480` (Ceph), `http://127.0.0.1:9000` (MinIO). */
  endpoint: z.url().optional(),
  region: z.string().min(1).default('us-east-1'),
  bucket: z.string().min(3).max(63),
  accessKeyId: z.string().min(1),
  secretAccessKey: z.string().min(1),
  /** Path-style URLs (`endpoint/bucket/key`): needed for MinIO and Ceph without wildcard DNS. */
  forcePathStyle: z.boolean().default(false),
  /**
   * CDN origin for presigned GETs (e.g. a Spaces CDN endpoint). The URL is signed for the bucket
   * origin and its scheme/host are swapped for the CDN's; this only works with a CDN that forwards
   * the query string and fetches from the origin with the origin's Host (the Spaces CDN does).
   * Uploads never use it. Leave unset when unsure: downloads then go straight to the bucket.
   */
  cdnUrl: z.url().optional(),
  /** Server-side encryption for every object written (sent as signed headers on presigned PUTs). */
  sse: z
    .discriminatedUnion('type', [
      z.object({ type: z.literal('AES256') }),
      z.object({ type: z.literal('aws:kms'), kmsKeyId: z.string().min(1).optional() }),
    ])
    .optional(),
  /**
   * Object Lock mode given to every verified object (FIELDVAULT_OBJECT_LOCK_MODE); the store refuses
   * to start when the bucket does not have Object Lock enabled.
   */
  objectLockMode: z.enum(['GOVERNANCE', 'COMPLIANCE']).optional(),
  /** Skip probing for the capabilities given here (e.g. a provider that forbids test writes). */
  capabilities: capabilityOverrideSchema.optional(),
});

/** Input form (defaults optional). */
export type S3StoreConfig = z.input<typeof s3StoreConfigSchema>;
/** Parsed form (defaults applied). */
export type S3StoreSettings = z.output<typeof s3StoreConfigSchema>;
