// Page-side helpers for service-worker tests: wait for real control, read the precache.
import type { Page } from '@playwright/test';

/**
 * Resolves once the page's service worker is `activated` AND controls the page. `controllerchange` alone fires while
 * the worker is still `activating` (clients.claim), so going offline then would race the install (findings pitfall 5).
 */
export async function waitForServiceWorkerControl(page: Page): Promise<void> {
  await page.evaluate(async () => {
    const registration = await navigator.serviceWorker.ready;
    const active = registration.active;
    if (active === null) throw new Error('service worker ready without an active worker');
    if (active.state !== 'activated') {
      await new Promise<void>((resolve) => {
        const onChange = (): void => {
          if (active.state !== 'activated') return;
          active.removeEventListener('statechange', onChange);
          resolve();
        };
        active.addEventListener('statechange', onChange);
      });
    }
    if (navigator.serviceWorker.controller === null) {
      await new Promise((resolve) =>
        navigator.serviceWorker.addEventListener('controllerchange', resolve, { once: true }),
      );
    }
  });
}

/** Absolute URLs held in Workbox's precache (`workbox-precache-v2-…`), as the service worker stored them. */
export async function precachedUrls(page: Page): Promise<string[]> {
  return page.evaluate(async () => {
    const name = (await caches.keys()).find((key) => key.startsWith('workbox-precache-'));
    if (name === undefined) return [];
    const cache = await caches.open(name);
    return (await cache.keys()).map((request) => request.url);
  });
}
