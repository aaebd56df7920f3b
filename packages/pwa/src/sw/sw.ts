// The service worker: precached app shell, SPA navigation fallback, update on request, Background Sync. API traffic is never cached.
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
import { createSessionStore } from '../session/session-store';
// Narrow imports (not '../sync'): the worker bundle carries the engine and its transport, not the page's triggers.
import { createAppSyncEngine } from '../sync/app-engine';
import { handleSyncEvent, type SyncEventLike } from '../sync/background-sync';
import { createTrpcTransport } from '../sync/trpc-transport';
import { SERVER_PATH_PATTERNS } from './navigation';
import { createServiceWorkerSync } from './sw-sync';

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

// Background Sync (Chromium): the page registers the tag whenever captures wait; the browser fires `sync` when the
// network is back, even with every tab closed. The same engine as the page's runs under the same Web Lock, so the
// page and the worker never upload one capture twice. A rejected event (offline, throttled) is retried by the browser.
// No `rehash` here: a nested hash Worker is not available in service workers; the page re-checks after a mismatch.
const sessionStore = createSessionStore();
const backgroundSync = createServiceWorkerSync({
  loadUser: () => sessionStore.load(),
  createEngine: ({ deviceLabel, owner }) =>
    createAppSyncEngine({ transport: createTrpcTransport(), deviceLabel, owner }),
});
self.addEventListener('sync', (event) => {
  const syncEvent = event as unknown as SyncEventLike;
  if (handleSyncEvent(syncEvent, () => backgroundSync))
    log.info(`background sync started (lastChance: ${String(syncEvent.lastChance ?? false)})`);
});

// Take control of pages opened before the first install, so the very first visit is already offline-capable.
clientsClaim();
