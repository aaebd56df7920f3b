// The one way the page and the service worker build the sync engine: real outbox, system clock, Web Locks, tRPC transport.
import type { Md5Pass } from '../hash/md5-pass';
import { createOutbox } from '../outbox/outbox';
import type { CaptureOwner } from '../outbox/schema';
import { systemClock } from './clock';
import type { SyncEngineDeps, SyncOptions } from './context';
import { createSyncEngine, type SyncEngine } from './engine';
import { createSyncLock } from './lock';
import type { SyncTransport } from './transport';

/** What the app passes in; everything else is fixed so page and worker cannot drift apart. */
export interface AppSyncEngineConfig {
  transport: SyncTransport;
  deviceLabel: string;
  /** The signed-in user: only their captures go up under their session. */
  owner: CaptureOwner;
  /** The hash Worker's `hash`, to check the local copy after a mismatch (absent in the service worker). */
  rehash?: (blob: Blob) => Promise<{ sha256: string }>;
  /** The MD5 Worker, for upload MD5s still missing at upload time (absent in the service worker). */
  md5s?: Md5Pass;
  options?: Partial<SyncOptions>;
}

/**
 * The engine as the app runs it: the real outbox, the system clock, Web Locks (or the in-process lock)
 * and `Math.random` jitter. The page and the service worker both call this, so they share code and lock.
 * Kept out of `sync/index.ts` so the service worker imports only what it runs.
 */
export function createAppSyncEngine(config: AppSyncEngineConfig): SyncEngine {
  const deps: SyncEngineDeps = {
    transport: config.transport,
    store: createOutbox(),
    clock: systemClock,
    lock: createSyncLock(),
    random: Math.random,
    deviceLabel: config.deviceLabel,
    owner: config.owner,
    ...(config.options ? { options: config.options } : {}),
    ...(config.rehash ? { rehash: config.rehash } : {}),
    ...(config.md5s ? { md5s: config.md5s } : {}),
  };
  return createSyncEngine(deps);
}
