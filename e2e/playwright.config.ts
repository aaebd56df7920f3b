// Playwright suite: Debian's Chromium (never a downloaded browser) against the real server serving the built PWA.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { defineConfig } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../tooling/chromium';
import {
  BASE_URL,
  E2E_ADMIN,
  E2E_PORT,
  E2E_SECRET,
  PWA_DIST,
  REPO_ROOT,
  SERVER_MAIN,
  e2eDataDir,
} from './support/server-env';

// Service workers stay allowed and Playwright's SW network instrumentation stays on, or setOffline() would
// not reach the worker (E2E-CHROMIUM-FINDINGS.md pitfall 1).
for (const [what, file] of [
  ['server', SERVER_MAIN],
  ['PWA', path.join(PWA_DIST, 'index.html')],
] as const) {
  if (!existsSync(file)) {
    throw new Error(
      `e2e: the ${what} is not built (${file} missing); run \`pnpm e2e\` from the repo root`,
    );
  }
}

const isCI = !!process.env.CI;

export default defineConfig({
  testDir: './tests',
  // Two cores and one shared server: one worker.
  workers: 1,
  fullyParallel: false,
  forbidOnly: isCI,
  retries: isCI ? 1 : 0,
  timeout: 30_000,
  expect: { timeout: 5_000 },
  outputDir: path.join(REPO_ROOT, '.tmp', 'playwright-results'),
  reporter: [['list'], ['json', { outputFile: '../reports/playwright.json' }]],
  use: {
    baseURL: BASE_URL,
    trace: 'on-first-retry',
    launchOptions: {
      executablePath: CHROMIUM_PATH,
      args: [...CHROMIUM_ARGS],
    },
  },
  projects: [{ name: 'chromium', use: { browserName: 'chromium' } }],
  webServer: {
    command: `node ${JSON.stringify(SERVER_MAIN)}`,
    url: `${BASE_URL}/healthz`,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: 'ignore',
    stderr: 'pipe',
    env: {
      PORT: String(E2E_PORT),
      HOST: '127.0.0.1',
      FIELDVAULT_DATA_DIR: e2eDataDir(),
      FIELDVAULT_PWA_DIR: PWA_DIST,
      FIELDVAULT_ADMIN_EMAIL: E2E_ADMIN.email,
      FIELDVAULT_ADMIN_PASSWORD: E2E_ADMIN.password,
      // The whole suite signs in from 127.0.0.1, many times a minute; production keeps the default 30.
      FIELDVAULT_LOGIN_RATE_LIMIT: '1000',
      FIELDVAULT_SECRET: E2E_SECRET,
      LOG_LEVEL: 'warn',
    },
  },
});
