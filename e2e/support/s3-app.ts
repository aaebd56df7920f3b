// A private app server on the s3 backend (Ceph RGW), with its own bucket whose CORS admits the app's origin.
import { startExtraServer, type ExtraServer } from './extra-server';
import { CEPH, ensureCeph, loadStorage } from './storage';

/**
 * Starts Ceph if needed, creates a fresh bucket for the app at `port` (CORS for its origin, as a deploy would),
 * and starts the real server with FIELDVAULT_STORAGE=s3 on it (`options` as for startExtraServer). Stop it with `stop()`.
 */
export async function startS3App(
  port: number,
  options: { healthyWithinMs?: number } = {},
): Promise<ExtraServer & { bucket: string }> {
  ensureCeph();
  const { storage, s3 } = await loadStorage();
  const appOrigin = `http://127.0.0.1:${port}`;
  const bucket = `e2e-sync-${port}-${Date.now()}`;
  const config = { kind: 's3' as const, ...CEPH, bucket, forcePathStyle: true };
  const client = s3.createS3Client(storage.s3StoreConfigSchema.parse(config));
  await storage.ensureBucket(client, bucket, { corsOrigins: [appOrigin] });
  const app = await startExtraServer(
    port,
    {
      FIELDVAULT_STORAGE: 's3',
      S3_ENDPOINT: CEPH.endpoint,
      S3_REGION: CEPH.region,
      S3_BUCKET: bucket,
      S3_ACCESS_KEY_ID: CEPH.accessKeyId,
      S3_SECRET_ACCESS_KEY: CEPH.secretAccessKey,
      S3_FORCE_PATH_STYLE: 'true',
    },
    options,
  );
  return { ...app, bucket };
}
