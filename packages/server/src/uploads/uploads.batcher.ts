// Group commit for upload steps: requests arriving together (or while earlier batches run) are handed to one write as a batch.
import type { Database } from '../db/database.js';

/** How big a batch may grow and how many of one database's batches may run at once. */
export interface BatchLimits {
  maxBatch: number;
  maxInFlight: number;
}

/** The requests waiting on one database, and how many of its batches are running. */
interface Queue<I, O> {
  waiting: { item: I; done: (out: O) => void; failed: (err: unknown) => void }[];
  inFlight: number;
  scheduled: boolean;
}

/**
 * A batching front for `write`: each call queues one item and resolves with `write`'s answer at its
 * index. Items queued in one turn of the event loop, or while {@link BatchLimits.maxInFlight} batches
 * of the same database run, go together in the next batch — so under load each transaction (and its
 * WAL flush) carries many requests instead of one, and an idle server adds one event-loop turn.
 * If `write` rejects, every item of that batch rejects with its error.
 */
export function batcher<I, O>(
  limits: BatchLimits,
  write: (db: Database, batch: readonly I[]) => Promise<O[]>,
): (db: Database, item: I) => Promise<O> {
  const queues = new WeakMap<Database, Queue<I, O>>();
  const schedule = (db: Database, q: Queue<I, O>): void => {
    if (q.scheduled || q.inFlight >= limits.maxInFlight || q.waiting.length === 0) return;
    q.scheduled = true;
    setImmediate(() => {
      q.scheduled = false;
      const batch = q.waiting.splice(0, limits.maxBatch);
      q.inFlight++;
      void write(
        db,
        batch.map((w) => w.item),
      )
        .then(
          (out) => batch.forEach((w, i) => w.done(out[i] as O)),
          (err: unknown) => batch.forEach((w) => w.failed(err)),
        )
        .finally(() => {
          q.inFlight--;
          schedule(db, q);
        });
      schedule(db, q);
    });
  };
  return (db, item) => {
    let q = queues.get(db);
    if (!q) {
      q = { waiting: [], inFlight: 0, scheduled: false };
      queues.set(db, q);
    }
    const queue = q;
    return new Promise<O>((done, failed) => {
      queue.waiting.push({ item, done, failed });
      schedule(db, queue);
    });
  };
}
