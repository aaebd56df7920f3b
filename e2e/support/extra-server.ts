// Starts a second, private server for tests that must change what is deployed (e.g. a new sw.js) without touching
// the build the rest of the suite uses: its own port, data dir and copy of the PWA build.
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import path from 'node:path';
import { E2E_ADMIN, PWA_DIST, REPO_ROOT, SERVER_MAIN } from './server-env';

/** A running private server. */
export interface ExtraServer {
  baseURL: string;
  /** The server's own copy of the PWA build; edit it to simulate a deploy. */
  pwaDir: string;
  stop(): Promise<void>;
}

async function waitForHealthy(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited early with code ${child.exitCode}`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`server not healthy at ${url} after ${timeoutMs} ms`);
}

/** How long a fresh server may take to answer /healthz unless a spec says otherwise. */
const HEALTHY_WITHIN_MS = 30_000;

/**
 * Starts the real server on `port` with a fresh data dir and a private copy of the PWA build;
 * `env` adds or overrides variables (e.g. FIELDVAULT_STORAGE=s3 and its S3_* settings).
 * `healthyWithinMs` caps the wait for /healthz (a fresh server creates its embedded database and migrates it first).
 */
export async function startExtraServer(
  port: number,
  env: Record<string, string> = {},
  { healthyWithinMs = HEALTHY_WITHIN_MS }: { healthyWithinMs?: number } = {},
): Promise<ExtraServer> {
  const root = mkdtempSync(path.join(REPO_ROOT, '.tmp', 'e2e-extra-'));
  const pwaDir = path.join(root, 'pwa');
  cpSync(PWA_DIST, pwaDir, { recursive: true });
  const child = spawn(process.execPath, [SERVER_MAIN], {
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      FIELDVAULT_DATA_DIR: path.join(root, 'data'),
      FIELDVAULT_PWA_DIR: pwaDir,
      FIELDVAULT_ADMIN_EMAIL: E2E_ADMIN.email,
      FIELDVAULT_ADMIN_PASSWORD: E2E_ADMIN.password,
      FIELDVAULT_LOGIN_RATE_LIMIT: '1000',
      LOG_LEVEL: 'warn',
      ...env,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const baseURL = `http://127.0.0.1:${port}`;
  const stop = async (): Promise<void> => {
    if (child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    rmSync(root, { recursive: true, force: true });
  };
  try {
    await waitForHealthy(`${baseURL}/healthz`, child, healthyWithinMs);
  } catch (error) {
    await stop();
    throw error;
  }
  return { baseURL, pwaDir, stop };
}
