// What the e2e server is started with: port, base URL, the fixed admin account, and where its data lives.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import path from 'node:path';

/** The monorepo root. */
export const REPO_ROOT = path.resolve(import.meta.dirname, '..', '..');

/** Port of the server under test (override with E2E_PORT when 4310 is taken). */
export const E2E_PORT = Number(process.env.E2E_PORT ?? 4310);

/** Where the tests reach the server; 127.0.0.1 is a secure context, so service workers run over plain HTTP. */
export const BASE_URL = `http://127.0.0.1:${E2E_PORT}`;

/** The admin the server creates on first start (FIELDVAULT_ADMIN_EMAIL/PASSWORD). */
export const E2E_ADMIN = {
  email: 'admin@e2e.fieldvault.test',
  password: 'e2e-admin-password-not-secret',
} as const;

/** The server's signing secret (FIELDVAULT_SECRET), fixed so tests can sign fs-backend URLs as the server does. */
export const E2E_SECRET = 'e2e-signing-secret-not-secret-0123456789abcdef';

/** Build outputs the suite runs against. */
export const SERVER_MAIN = path.join(REPO_ROOT, 'packages', 'server', 'dist', 'main.js');
export const PWA_DIST = path.join(REPO_ROOT, 'packages', 'pwa', 'dist');

// Per port, so two suites on different E2E_PORTs (parallel local runs) never clear each other's data.
const DATA_PARENT = path.join(REPO_ROOT, '.tmp', `e2e-data-${E2E_PORT}`);
const DATA_DIR_VAR = 'FIELDVAULT_E2E_DATA_DIR';

/**
 * A fresh, empty FIELDVAULT_DATA_DIR for this run. Playwright loads the config in the runner and again in each
 * worker; the runner creates the directory (clearing earlier runs' leftovers) and the workers inherit its path.
 */
export function e2eDataDir(): string {
  const existing = process.env[DATA_DIR_VAR];
  if (existing) return existing;
  rmSync(DATA_PARENT, { recursive: true, force: true });
  mkdirSync(DATA_PARENT, { recursive: true });
  const dir = mkdtempSync(path.join(DATA_PARENT, 'run-'));
  process.env[DATA_DIR_VAR] = dir;
  return dir;
}
