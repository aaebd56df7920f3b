// Part of the uploads bench: server-side verification on s3 (SHA-256 while streaming from Ceph) vs a plain GET of the same object.
import { randomBytes } from 'node:crypto';
import { DeleteBucketCommand } from '@aws-sdk/client-s3';
import { ensureBucket, S3ObjectStore } from '../src/storage/index.js';
import { createS3Client } from '../src/storage/s3/s3-client.js';
import { s3StoreConfigSchema, type S3StoreConfig } from '../src/storage/s3/s3-config.js';
import { hashObject } from '../src/uploads/uploads.verify.js';
import { recordBenchRow } from '../../../tooling/bench-rows.js';

const MIB = 1024 * 1024;
const SIZE_MIB = Number(process.env.BENCH_VERIFY_MIB ?? 128);
const ROUNDS = 3;

/** FIELDVAULT_TEST_S3_* or the project's Ceph RGW on its default port (not started here: run the storage tests or up.sh first). */
function s3Config(bucket: string): S3StoreConfig {
  const env = process.env;
  return {
    kind: 's3',
    endpoint: env.FIELDVAULT_TEST_S3_ENDPOINT ?? 'http://127.0.0.1:7480',
    region: env.FIELDVAULT_TEST_S3_REGION ?? 'us-east-1',
    bucket,
    accessKeyId: env.FIELDVAULT_TEST_S3_ACCESS_KEY ?? 'TESTACCESSKEY0000001',
    secretAccessKey:
      env.FIELDVAULT_TEST_S3_SECRET_KEY ?? 'testsecretkey0000000000000000000000000001',
    forcePathStyle: env.FIELDVAULT_TEST_S3_PATH_STYLE !== '0',
  };
}

/** Read a whole object and drop the bytes: the plain GET baseline. */
async function drain(store: S3ObjectStore, key: string): Promise<void> {
  const reader = (await store.getStream(key)).getReader();
  while (!(await reader.read()).done) {
    // Discard: we only time the transfer.
  }
}

/** Best of ROUNDS, in MB/s. */
async function best(step: () => Promise<unknown>): Promise<number> {
  let fastest = Infinity;
  for (let i = 0; i < ROUNDS; i++) {
    const t0 = performance.now();
    await step();
    fastest = Math.min(fastest, performance.now() - t0);
  }
  return SIZE_MIB / (fastest / 1000);
}

/** Hash-while-streaming throughput against a plain GET; skipped when no S3 answers. */
export async function verifyThroughput(): Promise<void> {
  const bucket = `fv-bench-verify-${Date.now().toString(36)}`;
  const config = s3Config(bucket);
  let store: S3ObjectStore;
  try {
    await ensureBucket(createS3Client(s3StoreConfigSchema.parse(config)), bucket, {
      corsOrigins: ['http://localhost:5173'],
    });
    store = await S3ObjectStore.create(config);
  } catch (err) {
    console.log(
      `s3 verification: skipped (${(err as Error).message}); start Ceph with scripts/ceph-rgw/up.sh`,
    );
    return;
  }
  const key = 'bench/verify.bin';
  try {
    await store.putObject(key, randomBytes(SIZE_MIB * MIB), {
      contentType: 'application/octet-stream',
    });
    const get = await best(() => drain(store, key));
    const hashed = await best(() => hashObject(store, key));
    const rss = (process.memoryUsage().rss / MIB).toFixed(0);
    recordBenchRow({
      suite: 'uploads',
      figure: `server-side verify (GET + SHA-256), ${SIZE_MIB} MiB from S3`,
      ours: hashed,
      unit: 'MB/s',
      reference: { name: 'plain GET', value: get },
      ratio: hashed / get,
      goal: { kind: 'none' },
    });
    console.log(
      `s3 verification (${config.endpoint}, ${SIZE_MIB} MiB): plain GET ${get.toFixed(0)} MB/s, ` +
        `GET + SHA-256 ${hashed.toFixed(0)} MB/s, ratio ${(hashed / get).toFixed(3)}; RSS ${rss} MiB`,
    );
  } finally {
    await store.delete(key).catch(() => undefined);
    await store.client.send(new DeleteBucketCommand({ Bucket: bucket })).catch(() => undefined);
  }
}
