// Service-worker registration and the "new version ready" update flow, over an injected workbox-window instance.
import type { Logger } from '../log/logger';

/**
 * Where the update flow stands: `idle` (current), `waiting` (a new version is installed and waits for the user),
 * `applying` (the user said reload), `unsupported` (no service workers here), `failed` (registration failed).
 */
export type UpdateState = 'idle' | 'waiting' | 'applying' | 'unsupported' | 'failed';

/** The part of workbox-window's `Workbox` this module uses (tests pass a fake). */
export interface WorkboxLike {
  register(): Promise<ServiceWorkerRegistration | undefined>;
  addEventListener(type: 'waiting' | 'controlling', listener: () => void): void;
  messageSkipWaiting(): void;
}

/** What {@link startServiceWorker} needs from its surroundings. */
export interface ServiceWorkerSetup {
  /** Returns the Workbox to register, or `null` where the browser has no service workers. */
  createWorkbox: () => WorkboxLike | null;
  reload: () => void;
  log: Logger;
  /** If the new worker never takes control (it crashed, or ignored the message), reload anyway after this long. */
  reloadFallbackMs?: number;
  setTimer?: (callback: () => void, ms: number) => void;
}

/** A handle on the registered worker, shaped for React's `useSyncExternalStore`. */
export interface ServiceWorkerController {
  // Function-valued properties, not methods: React and event handlers call them detached from the object.
  getState: () => UpdateState;
  subscribe: (listener: () => void) => () => void;
  /** Activates the waiting worker and reloads the page once it controls it. No-op unless `waiting`. */
  applyUpdate: () => void;
  /** Settles once registration finished; `undefined` when unsupported or failed. */
  readonly registration: Promise<ServiceWorkerRegistration | undefined>;
}

const DEFAULT_RELOAD_FALLBACK_MS = 10_000;

/** Registers the service worker and tracks whether an update waits for the user. */
export function startServiceWorker(setup: ServiceWorkerSetup): ServiceWorkerController {
  const { log } = setup;
  const listeners = new Set<() => void>();
  let state: UpdateState = 'idle';
  let reloaded = false;

  const setState = (next: UpdateState): void => {
    if (next === state) return;
    state = next;
    for (const listener of listeners) listener();
  };
  // One reload at most, whether the new worker's `controlling` or the fallback timer comes first.
  const reloadOnce = (): void => {
    if (reloaded) return;
    reloaded = true;
    setup.reload();
  };

  const wb = setup.createWorkbox();
  let registration: Promise<ServiceWorkerRegistration | undefined>;
  if (wb === null) {
    log.info('service workers are not available; the app will not work offline');
    state = 'unsupported';
    registration = Promise.resolve(undefined);
  } else {
    wb.addEventListener('waiting', () => {
      log.info('a new version is installed and waiting');
      if (state !== 'applying') setState('waiting');
    });
    // Only reload for an update this page asked for; the first install also fires `controlling` (clientsClaim).
    wb.addEventListener('controlling', () => {
      if (state === 'applying') reloadOnce();
    });
    registration = wb.register().catch((error: unknown) => {
      log.error('service worker registration failed', error);
      setState('failed');
      return undefined;
    });
  }

  return {
    getState: () => state,
    subscribe: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    applyUpdate: () => {
      if (state !== 'waiting' || wb === null) return;
      setState('applying');
      wb.messageSkipWaiting();
      (setup.setTimer ?? setTimeout)(
        reloadOnce,
        setup.reloadFallbackMs ?? DEFAULT_RELOAD_FALLBACK_MS,
      );
    },
    registration,
  };
}
