// The service worker's side of Background Sync: on `sync`, the signed-in user's engine runs under the page's lock.
import type { SyncRunResult } from '../sync/context';
import { syncUserOf, type SyncUser } from '../sync/ownership';

/** An engine as the worker uses it (the app engine, or a fake in tests). */
export interface RunnableEngine {
  run(): Promise<SyncRunResult>;
}

/** The cached `auth.me` fields the worker needs. */
export interface CachedUser {
  id: string;
  orgId: string;
  email: string;
  deviceLabel: string | null;
}

/** What the worker needs: who is signed in (the page's cached `auth.me`) and how to build an engine. */
export interface ServiceWorkerSyncDeps {
  loadUser: () => Promise<CachedUser | null>;
  createEngine: (user: SyncUser) => RunnableEngine;
}

const SIGNED_OUT: SyncRunResult = { status: 'signed-out', uploaded: 0, pending: 0, retryAt: null };

/**
 * Creates the worker's engine holder. The worker may be started cold by the browser for a `sync` event
 * with no page open, so the user is read from IndexedDB on every run, and one engine is kept per user and
 * device label (a re-used engine joins its own running sync instead of queueing a second one on the lock).
 * The engine uploads only that user's captures. Signed out: nothing runs, and the run reports `signed-out`
 * so no retry is asked of the browser.
 */
export function createServiceWorkerSync(deps: ServiceWorkerSyncDeps): RunnableEngine {
  let current: { key: string; engine: RunnableEngine } | null = null;
  return {
    async run(): Promise<SyncRunResult> {
      const cached = await deps.loadUser();
      if (cached === null) return SIGNED_OUT;
      const user = syncUserOf(cached);
      const key = `${user.owner.userId}\n${user.deviceLabel}`;
      if (current?.key !== key) current = { key, engine: deps.createEngine(user) };
      return current.engine.run();
    },
  };
}
