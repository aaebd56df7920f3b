// Public surface of the sync engine, and the one way the page and the service worker build it (same code, same lock).
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
export { createAppSyncEngine, type AppSyncEngineConfig } from './app-engine';
export {
  belongsTo,
  othersWaiting,
  syncUserOf,
  DEFAULT_DEVICE_LABEL,
  type OthersWaiting,
  type SyncUser,
} from './ownership';
