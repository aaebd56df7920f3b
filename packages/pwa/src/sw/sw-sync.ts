// The service worker's side of Background Sync: on `sync`, the signed-in device's engine runs under the page's lock.
import type { SyncRunResult } from '../sync/context';

/** An engine as the worker uses it (the app engine, or a fake in tests). */
export interface RunnableEngine {
  run(): Promise<SyncRunResult>;
}

/** What the worker needs: who is signed in (the page's cached `auth.me`) and how to build an engine. */
export interface ServiceWorkerSyncDeps {
  loadUser: () => Promise<{ deviceLabel: string | null } | null>;
  createEngine: (deviceLabel: string) => RunnableEngine;
}

/** The label the page uses for a user without one (see `ui/app.tsx`), so device events agree. */
export const DEFAULT_DEVICE_LABEL = 'browser';

const SIGNED_OUT: SyncRunResult = { status: 'signed-out', uploaded: 0, pending: 0, retryAt: null };

/**
 * Creates the worker's engine holder. The worker may be started cold by the browser for a `sync` event
 * with no page open, so the user is read from IndexedDB on every run, and one engine is kept per device
 * label (a re-used engine joins its own running sync instead of queueing a second one on the lock).
 * Signed out: nothing runs, and the run reports `signed-out` so no retry is asked of the browser.
 */
export function createServiceWorkerSync(deps: ServiceWorkerSyncDeps): RunnableEngine {
  let current: { label: string; engine: RunnableEngine } | null = null;
  return {
    async run(): Promise<SyncRunResult> {
      const user = await deps.loadUser();
      if (user === null) return SIGNED_OUT;
      const label = user.deviceLabel ?? DEFAULT_DEVICE_LABEL;
      if (current?.label !== label) current = { label, engine: deps.createEngine(label) };
      return current.engine.run();
    },
  };
}
