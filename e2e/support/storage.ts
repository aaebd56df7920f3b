// Storage backends as the server builds them, opened from the test process (built server code) to presign test URLs.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type * as StorageIndex from '../../packages/server/src/storage/index.js';
import type * as S3Client from '../../packages/server/src/storage/s3/s3-client.js';
import { REPO_ROOT } from './server-env';

/** The project's own Ceph RGW (scripts/ceph-rgw/up.sh): endpoint and fixed test credentials. */
export const CEPH = {
  endpoint: 'http://127.0.0.1:7480',
  region: 'us-east-1',
  accessKeyId: 'TESTACCESSKEY0000001',
  secretAccessKey: 'testsecretkey0000000000000000000000000001',
} as const;

/** Start Ceph RGW unless it already answers (idempotent; installs the Debian packages when root and missing). */
export function ensureCeph(): void {
  const result = spawnSync('bash', [path.join(REPO_ROOT, 'scripts', 'ceph-rgw', 'up.sh')], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    encoding: 'utf8',
    timeout: 180_000,
  });
  if (result.status !== 0) {
    throw new Error(`Ceph RGW did not start:\n${result.stdout}\n${result.stderr}`);
  }
}

/** The server's built storage module (packages/server/dist/storage), loaded at run time. */
export type StorageModule = typeof StorageIndex;
/** The server's built S3 client factory. */
export type S3ClientModule = typeof S3Client;

const distUrl = (file: string) =>
  pathToFileURL(path.join(REPO_ROOT, 'packages', 'server', 'dist', 'storage', file)).href;

/** Load the built storage module and the S3 client factory the server itself uses. */
export async function loadStorage(): Promise<{ storage: StorageModule; s3: S3ClientModule }> {
  const [storage, s3] = await Promise.all([
    import(distUrl('index.js')) as Promise<StorageModule>,
    import(distUrl('s3/s3-client.js')) as Promise<S3ClientModule>,
  ]);
  return { storage, s3 };
}
