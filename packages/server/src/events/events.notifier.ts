// In-process wake-ups for live subscribers: "org X may have new events" — from this process's writes and from PostgreSQL NOTIFY.
import { EventEmitter } from 'node:events';

/** The NOTIFY channel every replica LISTENs on; the payload is the org id. */
export const EVENTS_CHANNEL = 'fieldvault_file_events';

const emitter = new EventEmitter();
// One listener per live subscriber; hundreds of office tabs are normal, not a leak.
emitter.setMaxListeners(0);

/**
 * Tell this process's subscribers of `orgId` to look for new events. Only a hint: subscribers always
 * read committed rows from the database. On PGlite the read waits for the writer's transaction (one
 * connection, Kysely's connection mutex), so a poke made inside the transaction is seen after commit;
 * on PostgreSQL the NOTIFY (delivered at commit) is what wakes them.
 */
export function pokeOrg(orgId: string): void {
  emitter.emit(orgId);
}

/** Wake every subscriber of this process (the NOTIFY listener reconnected: it may have missed some). */
export function pokeAll(): void {
  emitter.emit(ALL);
}

const ALL = Symbol('all orgs');

/** A wake-up source for one org; `close()` when the subscriber leaves. */
export interface OrgWaiter {
  /** Resolves on a poke (also one that came since the last wait), after `timeoutMs`, or on abort. */
  wait(timeoutMs: number, signal?: AbortSignal): Promise<void>;
  close(): void;
}

/** Start listening for pokes of `orgId` now, so none is lost between a catch-up read and the wait. */
export function watchOrg(orgId: string): OrgWaiter {
  let poked = false;
  let wake: (() => void) | null = null;
  const onPoke = () => {
    poked = true;
    wake?.();
  };
  emitter.on(orgId, onPoke);
  emitter.on(ALL, onPoke);
  return {
    wait(timeoutMs, signal) {
      if (poked || signal?.aborted) {
        poked = false;
        return Promise.resolve();
      }
      return new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          signal?.removeEventListener('abort', done);
          wake = null;
          poked = false;
          resolve();
        };
        const timer = setTimeout(done, timeoutMs);
        signal?.addEventListener('abort', done, { once: true });
        wake = done;
      });
    },
    close() {
      emitter.off(orgId, onPoke);
      emitter.off(ALL, onPoke);
      wake?.();
    },
  };
}
