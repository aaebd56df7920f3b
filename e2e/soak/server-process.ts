// The real server as a child process (built dist/main.js) on a throw-away PostgreSQL database: start, kill -9, restart, run its CLI.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import type * as StorageIndex from '../../packages/server/src/storage/index.js';
import type * as S3Client from '../../packages/server/src/storage/s3/s3-client.js';

export const REPO_ROOT = path.resolve(import.meta.dirname, '..', '..');
const SERVER_DIST = path.join(REPO_ROOT, 'packages', 'server', 'dist');

/** Where the soak's PostgreSQL lives (the test database server of `pnpm test`). */
export const PG_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** The project's Ceph RGW (scripts/ceph-rgw/up.sh) and its fixed test credentials. */
export const CEPH = {
  endpoint: 'http://127.0.0.1:7480',
  region: 'us-east-1',
  accessKeyId: 'TESTACCESSKEY0000001',
  secretAccessKey: 'testsecretkey0000000000000000000000000001',
};

export const SOAK_ADMIN = { email: 'soak@fieldvault.test', password: 'soak-admin-password-x' };
const SECRET = 'soak-signing-secret-not-secret-0123456789abcdef';

export type Backend = 'fs' | 's3';

/** A free loopback port (the server keeps it across restarts, so the proxy's upstream never moves). */
export async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const address = srv.address();
  await new Promise((resolve) => srv.close(resolve));
  if (!address || typeof address === 'string') throw new Error('no port');
  return address.port;
}

async function admin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: PG_URL });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

async function storageModules() {
  const url = (file: string) => pathToFileURL(path.join(SERVER_DIST, 'storage', file)).href;
  return {
    storage: (await import(url('index.js'))) as typeof StorageIndex,
    s3: (await import(url('s3/s3-client.js'))) as typeof S3Client,
  };
}

/** Starts Ceph RGW unless it answers already; throws with its reason when it cannot. */
function ensureCeph(): void {
  const up = spawnSync('bash', [path.join(REPO_ROOT, 'scripts', 'ceph-rgw', 'up.sh')], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    timeout: 240_000,
  });
  if (up.status !== 0) throw new Error(`Ceph RGW unavailable: ${up.stderr}`);
}

/** The server's environment for one soak backend (the CLI gets the same). */
function serverEnv(opts: { port: number; publicUrl: string; dataDir: string; dbUrl: string }) {
  return {
    PORT: String(opts.port),
    HOST: '127.0.0.1',
    FIELDVAULT_PUBLIC_URL: opts.publicUrl,
    FIELDVAULT_DATA_DIR: opts.dataDir,
    FIELDVAULT_SECRET: SECRET,
    FIELDVAULT_ADMIN_EMAIL: SOAK_ADMIN.email,
    FIELDVAULT_ADMIN_PASSWORD: SOAK_ADMIN.password,
    // The soak runs reconcile itself, at known points; cron jobs would race it.
    FIELDVAULT_JOBS: 'off',
    DATABASE_URL: opts.dbUrl,
    LOG_LEVEL: 'fatal',
  };
}

/** What {@link startSoakServer} needs: the backend and the proxy URLs clients and storage go through. */
export interface SoakServerOptions {
  backend: Backend;
  port: number;
  publicUrl: string;
  tag: string;
  /** The S3 endpoint the server uses and presigns for (default Ceph's own; the Chromium soak's storage proxy). */
  s3Endpoint?: string;
}

/** A server the soak can kill and restart; its database and bucket outlive the process. */
export class SoakServer {
  private child: ChildProcess | null = null;
  kills = 0;
  private constructor(
    readonly opts: SoakServerOptions,
    readonly env: Record<string, string>,
    private readonly cleanup: () => Promise<void>,
  ) {}

  /** Creates the database (and bucket), then starts the process. */
  static async create(opts: SoakServerOptions): Promise<SoakServer> {
    const dbName = `soak_${opts.tag}_${opts.backend}_${Date.now()}`;
    await admin((c) => c.query(`create database "${dbName}"`));
    const dbUrl = new URL(PG_URL);
    dbUrl.pathname = `/${dbName}`;
    mkdirSync(path.join(REPO_ROOT, '.tmp'), { recursive: true });
    const dataDir = mkdtempSync(path.join(REPO_ROOT, '.tmp', `soak-${opts.backend}-`));
    const env = { ...serverEnv({ ...opts, dataDir, dbUrl: dbUrl.toString() }) };
    const cleanup = async () => {
      rmSync(dataDir, { recursive: true, force: true });
      await admin((c) => c.query(`drop database if exists "${dbName}" with (force)`));
    };
    const server = new SoakServer(opts, env, cleanup);
    try {
      if (opts.backend === 's3')
        Object.assign(env, await s3Env(opts.publicUrl, opts.s3Endpoint ?? CEPH.endpoint));
      await server.start();
    } catch (error) {
      // Ceph down or the server would not start: leave no database or data dir behind.
      await server.stop();
      throw error;
    }
    return server;
  }

  get dbUrl(): string {
    return this.env.DATABASE_URL ?? '';
  }

  get alive(): boolean {
    return this.child !== null && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Spawns the process and waits until /healthz answers. */
  async start(): Promise<void> {
    const child = spawn(process.execPath, [path.join(SERVER_DIST, 'main.js')], {
      env: { ...process.env, ...this.env },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    this.child = child;
    const base = `http://127.0.0.1:${this.opts.port}`;
    for (let i = 0; i < 600; i++) {
      if (child.exitCode !== null)
        throw new Error(`server exited during start (${child.exitCode})`);
      const ok = await fetch(`${base}/healthz`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error('server not healthy within 30 s');
  }

  /** kill -9: no shutdown hooks, open transactions roll back, sockets reset. */
  kill(): void {
    if (!this.alive) return;
    this.kills++;
    this.child?.kill('SIGKILL');
  }

  /** Restarts the process when a fault killed it. */
  async ensureUp(): Promise<void> {
    if (this.alive) return;
    const child = this.child;
    if (child && child.exitCode === null && child.signalCode === null)
      await new Promise((resolve) => child.once('exit', resolve));
    await this.start();
  }

  /** Runs `fieldvault <args>` with the server's environment; returns exit code and stdout. */
  cli(args: string[]): { status: number; stdout: string; stderr: string } {
    // Straight to Ceph: spawnSync blocks this process, and a storage proxy (the server's S3 endpoint in the
    // Chromium soak) living in it could not answer the CLI until the timeout.
    const direct = this.env.S3_ENDPOINT ? { S3_ENDPOINT: CEPH.endpoint } : {};
    const out = spawnSync(process.execPath, [path.join(SERVER_DIST, 'cli', 'main.js'), ...args], {
      env: { ...process.env, ...this.env, ...direct },
      encoding: 'utf8',
      timeout: 120_000,
    });
    return { status: out.status ?? -1, stdout: out.stdout, stderr: out.stderr };
  }

  /** The server's object store, opened from the same settings (to hash stored bytes, or delete one on purpose). */
  async objectStore(): Promise<StorageIndex.ObjectStore> {
    const { storage } = await storageModules();
    if (this.opts.backend === 'fs') {
      const dir = path.join(this.env.FIELDVAULT_DATA_DIR ?? '', 'objects');
      const config = {
        kind: 'fs' as const,
        dir,
        secret: SECRET,
        publicBaseUrl: this.opts.publicUrl,
      };
      return storage.createObjectStore(config);
    }
    return storage.createObjectStore(s3Config(this.env.S3_BUCKET ?? ''));
  }

  /** Stops the process, drops the database and removes the data dir. */
  async stop(): Promise<void> {
    const child = this.child;
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    await this.cleanup();
  }
}

function s3Config(bucket: string) {
  return { kind: 's3' as const, ...CEPH, bucket, forcePathStyle: true };
}

async function s3Env(origin: string, endpoint: string): Promise<Record<string, string>> {
  ensureCeph();
  const { storage, s3 } = await storageModules();
  const bucket = `soak-${Date.now()}`;
  const config = storage.s3StoreConfigSchema.parse(s3Config(bucket));
  await storage.ensureBucket(s3.createS3Client(config), bucket, { corsOrigins: [origin] });
  return {
    FIELDVAULT_STORAGE: 's3',
    S3_ENDPOINT: endpoint,
    S3_REGION: CEPH.region,
    S3_BUCKET: bucket,
    S3_ACCESS_KEY_ID: CEPH.accessKeyId,
    S3_SECRET_ACCESS_KEY: CEPH.secretAccessKey,
    S3_FORCE_PATH_STYLE: 'true',
  };
}
