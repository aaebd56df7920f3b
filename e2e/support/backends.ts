// Runs a sync scenario on each storage backend: the suite's own server (fs) and a private server on Ceph RGW (s3).
import type { Browser, BrowserContext, Page } from '@playwright/test';
import { startS3App } from './s3-app';
import { BASE_URL, E2E_PORT } from './server-env';

/** The storage backends every sync scenario must pass on. */
export const BACKENDS = ['fs', 's3'] as const;
export type Backend = (typeof BACKENDS)[number];

/** A scenario's app on one backend: a fresh browser context whose base URL is that app's origin. */
export interface BackendApp {
  backend: Backend;
  baseURL: string;
  context: BrowserContext;
  page: Page;
}

/**
 * Port of the private s3 server. One at a time (one worker), stopped before the next test; apart from the ports
 * sync-resume (+1) and sync-corrupt (+2) use, so a server one of them failed to stop cannot answer for it.
 */
const S3_APP_PORT = E2E_PORT + 3;

/**
 * A fresh server creates its embedded database and runs every migration before /healthz answers; on two cores shared
 * with a soak and other suites that has taken longer than the default 30 s wait (seen twice in a row).
 */
const S3_APP_HEALTHY_WITHIN_MS = 90_000;

/**
 * Test timeout for a scenario that needs `fsMs` on the suite's server; on s3 it also starts Ceph (when down),
 * creates a bucket and boots a server (up to {@link S3_APP_HEALTHY_WITHIN_MS}), and every PUT crosses to RGW.
 */
export function timeoutOn(backend: Backend, fsMs: number): number {
  return backend === 's3' ? fsMs + 180_000 : fsMs;
}

/**
 * Runs `scenario` against `backend`: on fs the suite's server, on s3 a private server on a fresh Ceph bucket whose
 * CORS admits the app's origin (as a deploy would). The context and the private server are gone afterwards, pass or
 * fail.
 */
export async function onBackend(
  browser: Browser,
  backend: Backend,
  scenario: (app: BackendApp) => Promise<void>,
): Promise<void> {
  const server =
    backend === 's3'
      ? await startS3App(S3_APP_PORT, { healthyWithinMs: S3_APP_HEALTHY_WITHIN_MS })
      : null;
  const baseURL = server?.baseURL ?? BASE_URL;
  try {
    const context = await browser.newContext({ baseURL });
    try {
      await scenario({ backend, baseURL, context, page: await context.newPage() });
    } finally {
      await context.close();
    }
  } finally {
    await server?.stop();
  }
}
