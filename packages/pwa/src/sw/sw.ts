// The service worker: precached app shell, SPA navigation fallback, update on request. API traffic is never cached.
/// <reference lib="webworker" />
import { clientsClaim } from 'workbox-core';
import {
  cleanupOutdatedCaches,
  createHandlerBoundToURL,
  precacheAndRoute,
  type PrecacheEntry,
} from 'workbox-precaching';
import { NavigationRoute, registerRoute } from 'workbox-routing';
import { createLogger } from '../log/logger';
import { SERVER_PATH_PATTERNS } from './navigation';

declare const self: ServiceWorkerGlobalScope & { __WB_MANIFEST: Array<PrecacheEntry | string> };

const log = createLogger('sw');

// Build-time list of the shell's files (index.html, JS, CSS, icons, manifest), revisioned by vite-plugin-pwa.
precacheAndRoute(self.__WB_MANIFEST);
cleanupOutdatedCaches();

// Any in-app navigation (deep links such as /outbox) gets the precached index.html, so a cold start works offline.
// Server paths (/trpc, /storage, /healthz, …) are excluded: they go to the network and are never cached.
registerRoute(
  new NavigationRoute(createHandlerBoundToURL('index.html'), {
    denylist: [...SERVER_PATH_PATTERNS],
  }),
);

// The page asks for activation only when the user accepted the update prompt (workbox-window messageSkipWaiting).
self.addEventListener('message', (event: ExtendableMessageEvent) => {
  const data: unknown = event.data;
  if (
    typeof data === 'object' &&
    data !== null &&
    (data as { type?: unknown }).type === 'SKIP_WAITING'
  ) {
    log.info('skip waiting requested by the page');
    void self.skipWaiting();
  }
});

// Take control of pages opened before the first install, so the very first visit is already offline-capable.
clientsClaim();
