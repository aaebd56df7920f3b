// Runs the storage contract against a real S3 (the project's Ceph RGW by default), plus capability and bucket checks.
import { randomBytes } from 'node:crypto';
import {
  AbortMultipartUploadCommand,
  DeleteBucketCommand,
  DeleteObjectsCommand,
  GetBucketCorsCommand,
  HeadObjectCommand,
} from '@aws-sdk/client-s3';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { storageContract } from '../contract.js';
import type { ContractTarget } from '../contract.js';
import { isStorageError } from '../errors.js';
import { probeStorage } from '../probe.js';
import { ensureBucket } from './s3-bucket.js';
import { createS3Client } from './s3-client.js';
import { s3StoreConfigSchema } from './s3-config.js';
import type { S3StoreConfig } from './s3-config.js';
import { S3ObjectStore } from './s3-store.js';

const s3 = inject('s3');
const runId = `${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
const bucket = s3?.bucket ?? `fv-test-${runId}`;
const config: S3StoreConfig | null = s3 && {
  kind: 's3',
  endpoint: s3.endpoint,
  region: s3.region,
  bucket,
  accessKeyId: s3.accessKeyId,
  secretAccessKey: s3.secretAccessKey,
  forcePathStyle: s3.forcePathStyle,
};
const logged: object[] = [];
const logger = { info: (obj: object) => logged.push(obj), warn: () => undefined };

/** Delete everything this run wrote (batches of 1,000), then the bucket if the run created it. */
async function cleanup(store: S3ObjectStore, prefix: string): Promise<void> {
  for await (const u of store.listMultipartUploads(prefix)) {
    await store.client.send(
      new AbortMultipartUploadCommand({ Bucket: bucket, Key: u.key, UploadId: u.uploadId }),
    );
  }
  let batch: { Key: string }[] = [];
  const flush = async (): Promise<void> => {
    if (batch.length)
      await store.client.send(
        new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: batch, Quiet: true } }),
      );
    batch = [];
  };
  for await (const o of store.list(prefix)) {
    batch.push({ Key: o.key });
    if (batch.length === 1000) await flush();
  }
  await flush();
  if (!s3?.bucket)
    await store.client.send(new DeleteBucketCommand({ Bucket: bucket })).catch(() => undefined);
}

let created: Promise<S3ObjectStore> | undefined;
/** One bucket and one capability probe per run, shared by the contract and the checks below. */
function sharedStore(): Promise<S3ObjectStore> {
  if (!config) throw new Error('no S3 configured');
  created ??= ensureBucket(createS3Client(s3StoreConfigSchema.parse(config)), bucket, {
    corsOrigins: ['http://localhost:5173'],
  }).then(() => S3ObjectStore.create(config, { logger }));
  return created;
}

describe.skipIf(!config)('s3 backend', () => {
  storageContract(
    `s3 (${s3?.endpoint ?? 'none'}, bucket ${bucket})`,
    async (): Promise<ContractTarget> => {
      const store = await sharedStore();
      const prefix = `run-${runId}/org1/accounting/receipt/`;
      return {
        store,
        // A restart is a new client and a fresh probe; multipart state lives in the bucket.
        restart: () => S3ObjectStore.create(config ?? ({} as S3StoreConfig)),
        prefix,
      };
    },
  );

  afterAll(async () => {
    if (created) await cleanup(await created, `run-${runId}/`);
  });

  it('detects and logs capabilities (on Ceph Pacific: MD5 enforced, SHA-256 checksum not, If-None-Match enforced)', async () => {
    const store = await sharedStore();
    const caps = store.capabilities();
    const loggedCaps = logged.map(
      (entry) => (entry as { storage?: { capabilities?: unknown } }).storage?.capabilities,
    );
    expect(loggedCaps).toContainEqual(caps);
    process.stderr.write(
      `[storage tests] s3 capabilities at ${s3?.endpoint}: ${JSON.stringify(caps)}\n`,
    );
    expect(caps.contentMd5Enforced).toBe(true);
    if (s3?.isLocalCeph) {
      expect(caps).toMatchObject({
        backend: 's3',
        checksumSha256Enforced: false,
        conditionalWrites: true,
        objectLock: false,
      });
    }
  });

  it('detects Object Lock on a lock-enabled bucket and applies retention (put and multipart)', async () => {
    if (!config || s3?.bucket) return; // needs to create a bucket
    const lockBucket = `fv-test-lock-${runId}`;
    const lockConfig = { ...config, bucket: lockBucket };
    const client = createS3Client(s3StoreConfigSchema.parse(lockConfig));
    await ensureBucket(client, lockBucket, { corsOrigins: ['*'], objectLock: true });
    const store = await S3ObjectStore.create(lockConfig);
    expect(store.capabilities().objectLock).toBe(true);
    // GOVERNANCE and one minute: short enough that the test leaves nothing locked for long.
    const until = new Date(Date.now() + 60_000);
    await store.putObject('locked/a.txt', Buffer.from('a'), { contentType: 'text/plain' });
    await store.putRetention('locked/a.txt', { until, mode: 'GOVERNANCE' });
    const head = await client.send(
      new HeadObjectCommand({ Bucket: lockBucket, Key: 'locked/a.txt' }),
    );
    expect(head.ObjectLockMode).toBe('GOVERNANCE');
    expect(head.ObjectLockRetainUntilDate?.getTime()).toBeGreaterThan(Date.now());
    const retention = { until, mode: 'GOVERNANCE' as const };
    const { uploadId } = await store.createMultipart('locked/b.bin', {
      contentType: 'application/octet-stream',
      retention,
    });
    const part = await store.presignPart(
      'locked/b.bin',
      { uploadId, partNumber: 1 },
      { expiresIn: 60 },
    );
    const res = await fetch(part.url, {
      method: 'PUT',
      headers: part.headers,
      body: Buffer.from('b'),
    });
    await store.completeMultipart('locked/b.bin', uploadId, [
      { partNumber: 1, etag: res.headers.get('etag') ?? '' },
    ]);
    const headB = await client.send(
      new HeadObjectCommand({ Bucket: lockBucket, Key: 'locked/b.bin' }),
    );
    expect(headB.ObjectLockMode).toBe('GOVERNANCE');
  });

  it('refuses retention where the bucket has no Object Lock', async () => {
    const store = await sharedStore();
    await expect(
      store.putRetention('x', { until: new Date(Date.now() + 1000), mode: 'GOVERNANCE' }),
    ).rejects.toSatisfy((e) => isStorageError(e, 'unsupported'));
  });

  it('sets CORS with ExposeHeaders ETag on the bucket', async () => {
    const store = await sharedStore();
    const cors = await store.client.send(new GetBucketCorsCommand({ Bucket: bucket }));
    const rule = cors.CORSRules?.[0];
    expect([...(rule?.AllowedMethods ?? [])].sort()).toEqual(['GET', 'HEAD', 'PUT']);
    expect(rule?.ExposeHeaders).toEqual(['ETag']);
  });

  it('passes the readiness probe, and fails it clearly when storage is down', async () => {
    expect((await probeStorage(await sharedStore())).ms).toBeGreaterThanOrEqual(0);
    const down = new S3ObjectStore({
      client: createS3Client(
        s3StoreConfigSchema.parse({ ...config, endpoint: 'http://127.0.0.1:9' }),
      ),
      settings: s3StoreConfigSchema.parse({ ...config, endpoint: 'http://127.0.0.1:9' }),
      capabilities: (await sharedStore()).capabilities(),
    });
    await expect(probeStorage(down)).rejects.toThrow(/storage is not ready: put failed/);
  });
});
