// Background Sync control for specs: hide it from the page (the path without it), and fire `sync` through CDP.
import type { BrowserContext, Page } from '@playwright/test';

/** The tag the app registers and its service worker answers (src/sync/background-sync.ts). */
export const SYNC_TAG = 'fieldvault-sync';

/**
 * Makes every page of `context` look like a browser without Background Sync (`registration.sync` missing), as
 * Firefox and Safari are: the app's feature detection then never registers a tag, so only page triggers run.
 */
export async function hideBackgroundSync(context: BrowserContext): Promise<void> {
  await context.addInitScript(() => {
    delete (ServiceWorkerRegistration.prototype as { sync?: unknown }).sync;
  });
}

/**
 * Fires a `sync` event with the app's tag at the service worker of `origin` now, through the DevTools protocol
 * (`ServiceWorker.dispatchSyncEvent`). `cdpPage` only carries the session: an about:blank page runs no app code.
 */
export async function dispatchSyncEvent(
  context: BrowserContext,
  cdpPage: Page,
  origin: string,
): Promise<void> {
  const cdp = await context.newCDPSession(cdpPage);
  const registrationId = new Promise<string>((resolve) => {
    cdp.on('ServiceWorker.workerRegistrationUpdated', ({ registrations }) => {
      const ours = registrations.find((r) => r.scopeURL.startsWith(origin) && !r.isDeleted);
      if (ours) resolve(ours.registrationId);
    });
  });
  await cdp.send('ServiceWorker.enable');
  await cdp.send('ServiceWorker.dispatchSyncEvent', {
    origin,
    registrationId: await registrationId,
    tag: SYNC_TAG,
    lastChance: false,
  });
  await cdp.detach();
}
