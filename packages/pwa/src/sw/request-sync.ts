// Page side of Background Sync: ask the browser for a `sync` event whenever captures wait, where the browser has it.
import type { Logger } from '../log/logger';
import type { Outbox } from '../outbox/outbox';
import { requestBackgroundSync, type SyncRegistrationLike } from '../sync/background-sync';

/** The outbox operations this module watches. */
export type WatchedOutbox = Pick<Outbox, 'saveCapture' | 'countPending'>;

/** What {@link withBackgroundSync} needs. */
export interface BackgroundSyncSetup {
  /**
   * The page's service-worker registration (`undefined` where there is none). Typed loosely because the DOM
   * typings have no `registration.sync` (Background Sync is Chromium-only); it is feature-detected instead.
   */
  registration: Promise<object | undefined>;
  log: Logger;
}

/**
 * Returns `outbox` with `saveCapture` asking for a Background Sync after every save, and asks once now when
 * captures already wait (a capture saved by a page that was killed before it could ask). Chromium then wakes
 * the service worker when connectivity returns, even with every tab closed; elsewhere `registration.sync` is
 * missing and the page's own triggers (start, `online`, visible, timer) do the work alone.
 */
export function withBackgroundSync<T extends WatchedOutbox>(
  outbox: T,
  setup: BackgroundSyncSetup,
): T {
  const ask = (why: string): Promise<void> =>
    setup.registration
      .then((registration) =>
        requestBackgroundSync(registration as SyncRegistrationLike | undefined),
      )
      .then((asked) => {
        if (asked) setup.log.debug(`background sync requested (${why})`);
      })
      .catch((error: unknown) => setup.log.warn('background sync request failed', error));
  void outbox
    .countPending()
    .then((pending) => (pending > 0 ? ask('captures waiting at start') : undefined))
    .catch((error: unknown) => setup.log.warn('could not count waiting captures', error));
  const saveCapture: Outbox['saveCapture'] = async (...args) => {
    const saved = await outbox.saveCapture(...args);
    void ask('capture saved');
    return saved;
  };
  return { ...outbox, saveCapture };
}
