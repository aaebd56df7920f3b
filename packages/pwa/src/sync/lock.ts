// One uploader at a time: a Web Locks lock across tabs and the service worker, or an in-process lock where Web Locks is absent (Node, old browsers).

/** The lock every sync run holds, in pages and in the service worker alike. */
export const SYNC_LOCK_NAME = 'fieldvault-sync';

/** Runs `fn` while holding the exclusive lock `name`; waits for it when someone else holds it. */
export interface SyncLock {
  withLock<T>(name: string, fn: () => Promise<T>): Promise<T>;
}

/** The slice of `navigator.locks` used here. */
export interface LockManagerLike {
  request<T>(name: string, options: { mode: 'exclusive' }, fn: () => Promise<T>): Promise<T>;
}

/** A lock within this JavaScript realm only: a promise chain per name. */
export function createMemoryLock(): SyncLock {
  const tails = new Map<string, Promise<void>>();
  return {
    async withLock<T>(name: string, fn: () => Promise<T>): Promise<T> {
      const previous = tails.get(name) ?? Promise.resolve();
      let release = () => {};
      const mine = new Promise<void>((resolve) => (release = resolve));
      const tail = previous.then(() => mine);
      tails.set(name, tail);
      await previous;
      try {
        return await fn();
      } finally {
        release();
        if (tails.get(name) === tail) tails.delete(name);
      }
    },
  };
}

/** A lock backed by the Web Locks API (shared by every tab and worker of the origin). */
export function createWebLock(locks: LockManagerLike): SyncLock {
  return { withLock: (name, fn) => locks.request(name, { mode: 'exclusive' }, fn) };
}

/** One in-process lock for the realm, so engines created without Web Locks still exclude each other. */
const realmLock = createMemoryLock();

/** Web Locks when the platform has them, otherwise the realm's in-process lock. */
export function createSyncLock(
  locks: LockManagerLike | undefined = (
    globalThis.navigator as { locks?: LockManagerLike } | undefined
  )?.locks,
): SyncLock {
  return locks ? createWebLock(locks) : realmLock;
}
