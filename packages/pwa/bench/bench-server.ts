// Starts the real FieldVault server (built dist) on Ceph RGW for the benchmarks, serving the benchmark page as its PWA.
import { spawn, spawnSync } from 'node:child_process';
import { DeleteBucketCommand, ListBucketsCommand } from '@aws-sdk/client-s3';
import { mkdtempSync, rmSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type * as StorageIndex from '../../server/src/storage/index.js';
import type * as S3Client from '../../server/src/storage/s3/s3-client.js';
import { BENCH_DIST } from './vite.config';

const REPO_ROOT = path.resolve(import.meta.dirname, '..', '..', '..');
const SERVER_DIST = path.join(REPO_ROOT, 'packages', 'server', 'dist');

/** The project's Ceph RGW (scripts/ceph-rgw/up.sh) and its fixed test credentials. */
const CEPH = {
  endpoint: 'http://127.0.0.1:7480',
  region: 'us-east-1',
  accessKeyId: 'TESTACCESSKEY0000001',
  secretAccessKey: 'testsecretkey0000000000000000000000000001',
};

/** The bench admin (created on the server's first start). */
export const BENCH_ADMIN = { email: 'bench@pwa.fieldvault.test', password: 'pwa-bench-password' };

/** A running bench server. */
export interface BenchServer {
  baseURL: string;
  /** `s3` (Ceph RGW) normally; `fs` when Ceph could not be started. */
  storage: 's3' | 'fs';
  /** Which database the server runs on (for the report). */
  database: string;
  /** The throw-away PostgreSQL database's URL (benches seed it directly); null on PGlite. */
  databaseUrl: string | null;
  /** The server process's id (the bench reports its CPU). */
  pid: number;
  stop(): Promise<void>;
}

/** Starts Ceph RGW unless it answers already; false (with the reason printed) when it cannot. */
function ensureCeph(): boolean {
  const up = spawnSync('bash', [path.join(REPO_ROOT, 'scripts', 'ceph-rgw', 'up.sh')], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    timeout: 180_000,
  });
  if (up.status === 0) return true;
  process.stderr.write(`Ceph RGW unavailable, the sync bench uses the fs backend:\n${up.stderr}\n`);
  return false;
}

const distUrl = (file: string) => pathToFileURL(path.join(SERVER_DIST, 'storage', file)).href;
const loadStorage = async () => (await import(distUrl('index.js'))) as typeof StorageIndex;
const bucketConfig = (storage: typeof StorageIndex, bucket: string) =>
  storage.s3StoreConfigSchema.parse({ kind: 's3', ...CEPH, bucket, forcePathStyle: true });
/** An S3 client on the test Ceph for `bucket`, made by the server's own storage code. */
const cephClient = async (bucket: string) => {
  const s3 = (await import(distUrl('s3/s3-client.js'))) as typeof S3Client;
  return s3.createS3Client(bucketConfig(await loadStorage(), bucket));
};

/** Bench buckets are `pwa-bench-<port>-<ms>`; older runs named them `pwa-bench-<ms>`. */
const BUCKET_PREFIX = 'pwa-bench-';
/** A bench bucket this old was left by a run that died (a full run takes about 10 minutes). */
const STALE_BUCKET_MS = 60 * 60_000;

/**
 * Empties and deletes the buckets earlier bench runs left behind when they were killed: on this port
 * (that run is over, the port is free again), or of any port once an hour old. A killed run leaves
 * ~1.5 GiB, and a few of them fill the test Ceph's disk, after which every write hangs.
 */
async function removeStaleBuckets(port: number): Promise<void> {
  const client = await cephClient('unused');
  const { Buckets = [] } = await client.send(new ListBucketsCommand({}));
  for (const { Name } of Buckets) {
    const match = Name?.slice(BUCKET_PREFIX.length).match(/^(?:(\d+)-)?(\d{13})$/);
    if (!Name?.startsWith(BUCKET_PREFIX) || !match) continue;
    const [, ofPort, createdMs] = match;
    if (Number(ofPort) === port || Date.now() - Number(createdMs) > STALE_BUCKET_MS)
      await removeBucket(Name);
  }
}

/** A fresh bucket whose CORS admits `origin` (as a deploy sets it up), through the server's own storage code. */
async function createBucket(origin: string, port: number): Promise<string> {
  const storage = await loadStorage();
  const bucket = `${BUCKET_PREFIX}${port}-${Date.now()}`;
  const client = await cephClient(bucket);
  await storage.ensureBucket(client, bucket, { corsOrigins: [origin] });
  return bucket;
}

/** Deletes every object and open multipart upload of `bucket`, then the bucket: a full run writes ~1.5 GiB into the test Ceph. */
async function removeBucket(bucket: string): Promise<void> {
  const storage = await loadStorage();
  const store = await storage.createObjectStore(bucketConfig(storage, bucket));
  for await (const upload of store.listMultipartUploads(''))
    await store.abortMultipart(upload.key, upload.uploadId);
  for await (const object of store.list('')) await store.delete(object.key);
  await (await cephClient(bucket)).send(new DeleteBucketCommand({ Bucket: bucket }));
}

async function waitHealthy(baseURL: string, exited: () => boolean): Promise<void> {
  for (let i = 0; i < 300; i++) {
    if (exited()) throw new Error('bench server exited during start-up');
    const ok = await fetch(`${baseURL}/healthz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`bench server not healthy at ${baseURL}`);
}

/** The server's storage settings: a fresh Ceph bucket, or the fs backend when Ceph is unavailable. */
async function storageEnv(baseURL: string, port: number): Promise<Record<string, string>> {
  if (!ensureCeph()) return { FIELDVAULT_STORAGE: 'fs' };
  await removeStaleBuckets(port);
  return {
    FIELDVAULT_STORAGE: 's3',
    S3_ENDPOINT: CEPH.endpoint,
    S3_REGION: CEPH.region,
    S3_BUCKET: await createBucket(baseURL, port),
    S3_ACCESS_KEY_ID: CEPH.accessKeyId,
    S3_SECRET_ACCESS_KEY: CEPH.secretAccessKey,
    S3_FORCE_PATH_STYLE: 'true',
  };
}

/** PostgreSQL the bench may use for a throw-away database (as the server benches do). */
const PG_URL =
  process.env.BENCH_DATABASE_URL ??
  process.env.TEST_DATABASE_URL ??
  'postgres://postgres@127.0.0.1:5432/test';

function psql(sql: string): boolean {
  const run = spawnSync('psql', [PG_URL, '-qc', sql], { encoding: 'utf8', timeout: 30_000 });
  return run.status === 0;
}

/**
 * A fresh PostgreSQL database (production's engine: PGlite serialises every query in one process, which
 * would make the server, not the device, the bottleneck), or PGlite when PostgreSQL or psql is missing.
 */
function benchDatabase(): { env: Record<string, string>; label: string; drop: () => void } {
  const name = `pwa_bench_${Date.now()}`;
  if (!psql(`create database "${name}"`))
    return { env: {}, label: 'PGlite (PostgreSQL not reachable)', drop: () => {} };
  const url = new URL(PG_URL);
  url.pathname = `/${name}`;
  return {
    env: { DATABASE_URL: url.toString() },
    label: `PostgreSQL ${url.host}`,
    drop: () => void psql(`drop database if exists "${name}" with (force)`),
  };
}

/** Starts the server on `port`, over Ceph where it can (see {@link BenchServer.storage}). */
export async function startBenchServer(port: number): Promise<BenchServer> {
  const baseURL = `http://127.0.0.1:${port}`;
  const storage = await storageEnv(baseURL, port);
  const database = benchDatabase();
  const dataDir = mkdtempSync(path.join(REPO_ROOT, '.tmp', 'pwa-bench-data-'));
  // BENCH_SERVER_PROFILE=<dir>: the server writes a V8 CPU profile there when it stops (`--cpu-prof`).
  const profileDir = process.env.BENCH_SERVER_PROFILE;
  const profile = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
  const child = spawn(process.execPath, [...profile, path.join(SERVER_DIST, 'main.js')], {
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      FIELDVAULT_DATA_DIR: dataDir,
      FIELDVAULT_PWA_DIR: BENCH_DIST,
      FIELDVAULT_ADMIN_EMAIL: BENCH_ADMIN.email,
      FIELDVAULT_ADMIN_PASSWORD: BENCH_ADMIN.password,
      ...storage,
      ...database.env,
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const stop = async () => {
    if (child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    rmSync(dataDir, { recursive: true, force: true });
    database.drop();
    const bucket = storage.S3_BUCKET;
    if (bucket)
      await removeBucket(bucket).catch((e: unknown) =>
        process.stderr.write(`could not remove bench bucket ${bucket}: ${String(e)}\n`),
      );
  };
  try {
    await waitHealthy(baseURL, () => child.exitCode !== null);
  } catch (error) {
    await stop();
    throw error;
  }
  const kind = storage.FIELDVAULT_STORAGE === 's3' ? 's3' : 'fs';
  return {
    baseURL,
    storage: kind,
    database: database.label,
    databaseUrl: database.env.DATABASE_URL ?? null,
    pid: child.pid ?? -1,
    stop,
  };
}
