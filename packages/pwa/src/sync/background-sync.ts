// Background Sync (Chromium): the page registers a tag; the service worker's `sync` handler runs the same engine under the same lock.

/** The Background Sync tag the page registers and the service worker answers. */
export const BACKGROUND_SYNC_TAG = 'fieldvault-sync';

/** The slice of a `SyncEvent` the handler uses. */
export interface SyncEventLike {
  readonly tag: string;
  readonly lastChance?: boolean;
  waitUntil(promise: Promise<unknown>): void;
}

/** A registration that may support Background Sync. */
export interface SyncRegistrationLike {
  sync?: { register(tag: string): Promise<void> };
}

/** What a run reports (structurally the engine's result). */
interface RunResultLike {
  status: string;
  pending: number;
  /** When a capture is due next (a backoff), if any. */
  retryAt?: number | null;
}

/** Thrown inside `waitUntil` so the browser schedules another `sync` event later. */
export class SyncIncompleteError extends Error {
  override readonly name = 'SyncIncompleteError';
}

/**
 * Runs one sync for a `sync` event. Rejects while captures are still to go (offline, throttled, or
 * waiting on a backoff after server errors) so the browser retries the event later: with the app
 * closed, no page timer would. Resolves when done, when what waits needs a person (attention, a pause),
 * or when signed out, which no retry can fix.
 */
export async function runBackgroundSync(engine: { run(): Promise<RunResultLike> }): Promise<void> {
  const result = await engine.run();
  const backingOff = result.status === 'waiting' && (result.retryAt ?? null) !== null;
  if (result.status === 'offline' || result.status === 'throttled' || backingOff) {
    throw new SyncIncompleteError(
      `sync ${result.status}; ${result.pending} capture(s) still waiting`,
    );
  }
}

/**
 * The service worker's `sync` listener body: handles our tag and returns true, ignores others.
 * Usage in `sw.ts`: `self.addEventListener('sync', (e) => handleSyncEvent(e, getEngine))`.
 */
export function handleSyncEvent(
  event: SyncEventLike,
  getEngine: () => { run(): Promise<RunResultLike> },
): boolean {
  if (event.tag !== BACKGROUND_SYNC_TAG) return false;
  event.waitUntil(runBackgroundSync(getEngine()));
  return true;
}

/** Asks the browser for a `sync` event when connectivity returns; false where Background Sync is missing or refused. */
export async function requestBackgroundSync(
  registration: SyncRegistrationLike | undefined,
): Promise<boolean> {
  if (!registration?.sync) return false;
  try {
    await registration.sync.register(BACKGROUND_SYNC_TAG);
    return true;
  } catch {
    return false;
  }
}
