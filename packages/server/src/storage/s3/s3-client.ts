// The AWS SDK v3 client as FieldVault needs it for every S3-compatible provider.
import { S3Client } from '@aws-sdk/client-s3';
import type { S3StoreSettings } from './s3-config.js';

/**
 * Build the client. Checksums `WHEN_REQUIRED`: the SDK defaults put a CRC32 of an *empty* body into
 * presigned PUT URLs (real S3 then refuses the upload) and switch stream bodies to aws-chunked,
 * which Ceph Pacific rejects with 411 (see shared/tools/ceph-rgw/FINDINGS.md).
 */
export function createS3Client(settings: S3StoreSettings): S3Client {
  return new S3Client({
    region: settings.region,
    ...(settings.endpoint !== undefined ? { endpoint: settings.endpoint } : {}),
    forcePathStyle: settings.forcePathStyle,
    credentials: { accessKeyId: settings.accessKeyId, secretAccessKey: settings.secretAccessKey },
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    maxAttempts: 3,
  });
}
