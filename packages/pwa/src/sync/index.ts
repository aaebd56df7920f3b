// Public surface of the sync engine, and the one way the page and the service worker build it (same code, same lock).
import { createOutbox } from '../outbox/outbox';
import { systemClock } from './clock';
import type { SyncEngineDeps, SyncOptions } from './context';
import { createSyncEngine, type SyncEngine } from './engine';
import { createSyncLock } from './lock';
import type { SyncTransport } from './transport';

export { createSyncEngine, type SyncEngine } from './engine';
export type {
  SyncEngineDeps,
  SyncEvents,
  SyncOptions,
  SyncRunResult,
  SyncRunStatus,
  SyncStore,
  ItemProgress,
} from './context';
export { DEFAULT_SYNC_OPTIONS } from './context';
export { TransportError, parseRetryAfter, type SyncTransport, type PutRequest } from './transport';
export { classifyError, type Failure } from './classify';
export { backoffDelay, DEFAULT_BACKOFF, type BackoffOptions } from './backoff';
export { systemClock, type Clock } from './clock';
export {
  createSyncLock,
  createMemoryLock,
  createWebLock,
  SYNC_LOCK_NAME,
  type SyncLock,
} from './lock';
export { createSyncTriggers, type SyncTriggers, type SyncTriggersOptions } from './triggers';
export {
  BACKGROUND_SYNC_TAG,
  handleSyncEvent,
  requestBackgroundSync,
  runBackgroundSync,
} from './background-sync';
export { createFetchPutBytes } from './put-bytes';
export { createTrpcTransport, type TrpcTransportOptions } from './trpc-transport';

/**
 * The engine as the app runs it: the real outbox, the system clock, Web Locks (or the in-process lock)
 * and `Math.random` jitter. The page and the service worker both call this, so they share code and lock.
 */
export function createAppSyncEngine(config: {
  transport: SyncTransport;
  deviceLabel: string;
  /** The hash Worker's `hash`, to check the local copy after a mismatch. */
  rehash?: (blob: Blob) => Promise<{ sha256: string }>;
  options?: Partial<SyncOptions>;
}): SyncEngine {
  const deps: SyncEngineDeps = {
    transport: config.transport,
    store: createOutbox(),
    clock: systemClock,
    lock: createSyncLock(),
    random: Math.random,
    deviceLabel: config.deviceLabel,
    ...(config.options ? { options: config.options } : {}),
    ...(config.rehash ? { rehash: config.rehash } : {}),
  };
  return createSyncEngine(deps);
}
