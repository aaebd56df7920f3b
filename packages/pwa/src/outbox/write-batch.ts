// Group commit for the outbox's hot read-write operations: operations asked for while a transaction commits go together in the next one.
import type { IDBPTransaction, StoreNames } from 'idb';
import type { OutboxDb } from './db';
import type { OutboxSchema } from './schema';

/** A read-write transaction over some of the outbox's stores. */
export type WriteTx = IDBPTransaction<OutboxSchema, StoreNames<OutboxSchema>[], 'readwrite'>;

/**
 * One read-write operation that can share a transaction with others. `run` may only await requests of
 * `tx` (never the network or a Worker) and must not abort it: a refusal (record gone, bad transition) is
 * a throw, which leaves the other operations of the transaction alone.
 */
export interface WriteOp<A, R> {
  stores: readonly StoreNames<OutboxSchema>[];
  /** Operations with the same key run one after the other inside a transaction (read-modify-write). */
  keyOf: (arg: A) => string;
  run: (tx: WriteTx, arg: A) => Promise<R>;
  /**
   * Nothing waits on it soon (marking a verified capture done, which also deletes its bytes): it goes in a
   * transaction only when no other operation is queued, so it never holds up the steps before a PUT.
   */
  background?: boolean;
}

/** Declares a {@link WriteOp} (keeps its argument and result types). */
export function writeOp<A, R>(op: WriteOp<A, R>): WriteOp<A, R> {
  return op;
}

interface Queued {
  stores: readonly StoreNames<OutboxSchema>[];
  key: string;
  run: (tx: WriteTx) => Promise<unknown>;
  settle: (outcome: PromiseSettledResult<unknown>) => void;
}

/**
 * Runs `items` in one read-write transaction: same-key operations in order, others side by side. Resolves
 * once the transaction committed, with each operation's own outcome; rejects when it aborted (nothing of
 * it was written).
 */
async function commit(
  db: OutboxDb,
  items: readonly Queued[],
): Promise<PromiseSettledResult<unknown>[]> {
  const stores = [...new Set(items.flatMap((i) => i.stores))];
  const tx = db.transaction(stores, 'readwrite');
  const chains = new Map<string, Promise<unknown>>();
  const runs = items.map((item) => {
    // Started from a microtask (the transaction is still active there), so a synchronous throw is a rejection.
    const run = (chains.get(item.key) ?? Promise.resolve()).then(() => item.run(tx));
    chains.set(
      item.key,
      run.catch(() => undefined),
    );
    return run;
  });
  const [outcomes] = await Promise.all([Promise.allSettled(runs), tx.done]);
  return outcomes;
}

/** Runs one operation in a read-write transaction of its own; resolves once it committed. */
export async function runAlone<A, R>(db: OutboxDb, op: WriteOp<A, R>, arg: A): Promise<R> {
  const item: Queued = {
    stores: op.stores,
    key: '',
    run: (tx) => op.run(tx, arg),
    settle: () => {},
  };
  const [outcome] = await commit(db, [item]);
  if (outcome?.status === 'rejected') throw outcome.reason;
  return (outcome as PromiseFulfilledResult<R>).value;
}

/** Runs {@link WriteOp}s in shared transactions (see {@link createWriteBatcher}). */
export interface WriteBatcher {
  run<A, R>(op: WriteOp<A, R>, arg: A): Promise<R>;
}

/**
 * Creates a group-committing runner: operations asked for in the same tick, or while the previous
 * transaction is committing, go together (up to `maxOps`) in one read-write transaction. Each caller's
 * promise settles only after that transaction committed, so whatever it does next sees its write durable,
 * exactly as with a transaction of its own; background operations wait until no other one is queued.
 * Under load every IndexedDB transaction costs hundreds of ms,
 * and the sync engine's receipts each made six, one after the other on the captures store. If a shared
 * transaction aborts (a request failed: quota, a broken record), each of its operations runs again alone,
 * so one bad record fails only its own operation.
 */
export function createWriteBatcher(
  getDb: () => Promise<OutboxDb>,
  options: { maxOps: number } = { maxOps: 64 },
): WriteBatcher {
  const queue: Queued[] = [];
  const later: Queued[] = [];
  let busy = false;
  const runBatch = async (batch: Queued[]) => {
    const db = await getDb();
    try {
      const outcomes = await commit(db, batch);
      batch.forEach((item, i) => item.settle(outcomes[i] as PromiseSettledResult<unknown>));
    } catch {
      for (const item of batch) {
        const alone = await commit(db, [item]).catch((reason: unknown) => [
          { status: 'rejected', reason } as const,
        ]);
        item.settle(alone[0] as PromiseSettledResult<unknown>);
      }
    }
  };
  const pump = () => {
    if (busy || queue.length + later.length === 0) return;
    busy = true;
    const from = queue.length > 0 ? queue : later;
    const batch = from.splice(0, Math.max(1, options.maxOps));
    void runBatch(batch)
      .catch((reason: unknown) => {
        for (const item of batch) item.settle({ status: 'rejected', reason });
      })
      .finally(() => {
        busy = false;
        pump();
      });
  };
  return {
    run<A, R>(op: WriteOp<A, R>, arg: A): Promise<R> {
      return new Promise<R>((resolve, reject) => {
        const settle = (outcome: PromiseSettledResult<unknown>) =>
          outcome.status === 'fulfilled'
            ? resolve(outcome.value as R)
            : reject(outcome.reason as Error);
        const item = {
          stores: op.stores,
          key: op.keyOf(arg),
          run: (tx: WriteTx) => op.run(tx, arg),
        };
        (op.background ? later : queue).push({ ...item, settle });
        // Start on the next microtask, so operations asked for in this tick share the transaction.
        if (queue.length + later.length === 1) queueMicrotask(pump);
      });
    },
  };
}
