// Storage test setup: gives the s3 contract run its S3 settings, starting the project's own Ceph RGW unless told otherwise.
//
// Default: runs scripts/ceph-rgw/up.sh (installs the Debian packages when missing and root; starts
// mon + bluestore OSD + radosgw on 127.0.0.1:7480 in about 6 s, or reuses a running one). The
// cluster is left running for the next run and for the e2e suite; stop it with scripts/ceph-rgw/down.sh,
// or set FIELDVAULT_CEPH_DOWN=1 to stop it after the run. Each run uses a fresh bucket.
//
// Another S3 instead (the same contract must hold there):
//   MinIO:  FIELDVAULT_TEST_S3_ENDPOINT=http://127.0.0.1:9000 FIELDVAULT_TEST_S3_ACCESS_KEY=minioadmin \
//           FIELDVAULT_TEST_S3_SECRET_KEY=minioadmin pnpm -F @fieldvault/server test:storage
//   Spaces: FIELDVAULT_TEST_S3_ENDPOINT=https://fra1.digitaloceanspaces.com FIELDVAULT_TEST_S3_REGION=fra1 \
//           FIELDVAULT_TEST_S3_PATH_STYLE=0 FIELDVAULT_TEST_S3_BUCKET=<existing bucket> \
//           FIELDVAULT_TEST_S3_ACCESS_KEY=… FIELDVAULT_TEST_S3_SECRET_KEY=… pnpm -F @fieldvault/server test:storage
// With FIELDVAULT_TEST_S3_BUCKET the tests use that bucket under a fresh prefix (its CORS rules are
// replaced); without it they create a fresh bucket. FIELDVAULT_TEST_S3=skip runs the fs backend only.
import { spawn } from 'node:child_process';
import { openSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';

/** S3 settings handed to the tests through `inject('s3')`; null when S3 tests are skipped. */
export interface TestS3Settings {
  endpoint: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  forcePathStyle: boolean;
  /** Existing bucket to use; undefined → the test creates a fresh one. */
  bucket?: string;
  /** True when this is the project's own Ceph RGW (its capabilities are asserted against FINDINGS.md). */
  isLocalCeph: boolean;
}

declare module 'vitest' {
  export interface ProvidedContext {
    s3: TestS3Settings | null;
  }
}

const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));
const scripts = path.join(repoRoot, 'scripts', 'ceph-rgw');

/** Run a script with its output in a log file (never our stdout: daemons it starts must not hold our pipes). */
function runScript(script: string, log: string): Promise<number> {
  const fd = openSync(log, 'w');
  return new Promise((resolve, reject) => {
    const child = spawn('bash', [path.join(scripts, script)], {
      stdio: ['ignore', fd, fd],
      cwd: repoRoot,
    });
    child.on('error', reject);
    child.on('exit', (code) => resolve(code ?? 1));
  });
}

function external(env: NodeJS.ProcessEnv): TestS3Settings | null {
  const endpoint = env.FIELDVAULT_TEST_S3_ENDPOINT;
  if (!endpoint) return null;
  const {
    FIELDVAULT_TEST_S3_ACCESS_KEY: accessKeyId,
    FIELDVAULT_TEST_S3_SECRET_KEY: secretAccessKey,
  } = env;
  if (!accessKeyId || !secretAccessKey) {
    throw new Error(
      'FIELDVAULT_TEST_S3_ENDPOINT needs FIELDVAULT_TEST_S3_ACCESS_KEY and FIELDVAULT_TEST_S3_SECRET_KEY',
    );
  }
  return {
    endpoint,
    region: env.FIELDVAULT_TEST_S3_REGION ?? 'us-east-1',
    accessKeyId,
    secretAccessKey,
    forcePathStyle: env.FIELDVAULT_TEST_S3_PATH_STYLE !== '0',
    ...(env.FIELDVAULT_TEST_S3_BUCKET ? { bucket: env.FIELDVAULT_TEST_S3_BUCKET } : {}),
    isLocalCeph: false,
  };
}

/** Vitest global setup for the `storage` project. */
export default async function setup(
  project: TestProject,
): Promise<(() => Promise<void>) | undefined> {
  const env = process.env;
  if (env.FIELDVAULT_TEST_S3 === 'skip') {
    project.provide('s3', null);
    return undefined;
  }
  const other = external(env);
  if (other) {
    project.provide('s3', other);
    return undefined;
  }
  const log = path.join(tmpdir(), `fieldvault-ceph-up-${process.pid}.log`);
  const started = Date.now();
  if ((await runScript('up.sh', log)) !== 0) {
    throw new Error(
      `Ceph RGW did not start (scripts/ceph-rgw/up.sh):\n${readFileSync(log, 'utf8').slice(-3000)}`,
    );
  }
  process.stderr.write(
    `[storage tests] Ceph RGW ready on 127.0.0.1:7480 in ${Date.now() - started} ms\n`,
  );
  project.provide('s3', {
    endpoint: `http://127.0.0.1:${env.RGW_PORT ?? '7480'}`,
    region: 'us-east-1',
    accessKeyId: env.ACCESS_KEY ?? 'TESTACCESSKEY0000001',
    secretAccessKey: env.SECRET_KEY ?? 'testsecretkey0000000000000000000000000001',
    forcePathStyle: true,
    isLocalCeph: true,
  });
  if (env.FIELDVAULT_CEPH_DOWN !== '1') return undefined;
  return async () => {
    await runScript('down.sh', path.join(tmpdir(), `fieldvault-ceph-down-${process.pid}.log`));
  };
}
