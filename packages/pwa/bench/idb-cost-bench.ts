// IndexedDB cost diagnostic: each kind of request the sync engine makes per receipt, timed alone on a scratch database.
import { uuidv7 } from '@fieldvault/shared/ids';
import { deleteDB, openDB, type IDBPDatabase } from 'idb';
import { captureRecord } from '../src/outbox/sample-records';
import { MiB, randomBytes } from './measure';
import type { PhaseWindow } from './process-cpu';

/** One step: what ran `count` times, and when (epoch ms) for the runner's CPU report. */
export interface IdbCostStep {
  step: string;
  count: number;
  ms: number;
  window: PhaseWindow;
}

/** A capture record as the outbox holds it, with its own id and blob key. */
const captureLike = (i: number) =>
  captureRecord({ captureId: uuidv7(), blobKey: `blob-${i}`, size: 2 * MiB });

type Db = IDBPDatabase;

async function timed(
  step: string,
  count: number,
  fn: () => Promise<unknown>,
): Promise<IdbCostStep> {
  const start = performance.now();
  await fn();
  const end = performance.now();
  const at = (t: number) => performance.timeOrigin + t;
  return { step, count, ms: end - start, window: { from: at(start), to: at(end) } };
}

/** `count` puts of capture-like records, `perTx` to a read-write transaction, all transactions asked for at once. */
function putRecords(db: Db, records: ReturnType<typeof captureLike>[], perTx: number) {
  const txs: Promise<void>[] = [];
  for (let i = 0; i < records.length; i += perTx) {
    const tx = db.transaction('captures', 'readwrite');
    for (const r of records.slice(i, i + perTx))
      void tx.store.get(r.captureId).then(() => tx.store.put({ ...r, updatedAt: Date.now() }));
    txs.push(tx.done);
  }
  return Promise.all(txs);
}

/**
 * Runs each step on a fresh scratch database holding `count` 2 MiB Blobs and capture-like records: reading
 * the Blobs (a transaction each, as the engine does, and all in one), and get + put of the records (a
 * transaction each, and 64 to a transaction, as the outbox's group commit does).
 */
export async function idbCostBench(count: number): Promise<IdbCostStep[]> {
  const name = `pwa-bench-idb-cost-${uuidv7()}`;
  const db = await openDB(name, 1, {
    upgrade: (d) => {
      d.createObjectStore('blobs');
      const captures = d.createObjectStore('captures', { keyPath: 'captureId' });
      captures.createIndex('byState', ['state', 'nextAttemptAt']);
    },
  });
  try {
    const bytes = randomBytes(2 * MiB);
    for (let i = 0; i < count; i++) await db.put('blobs', new Blob([bytes]), i);
    const records = Array.from({ length: count }, (_, i) => captureLike(i));
    await putRecords(db, records, 64);
    const keys = Array.from({ length: count }, (_, i) => i);
    const steps: IdbCostStep[] = [];
    steps.push(
      await timed('read a Blob, a transaction each', count, () =>
        Promise.all(keys.map((k) => db.get('blobs', k))),
      ),
    );
    steps.push(
      await timed('read a Blob, all in one transaction', count, async () => {
        const tx = db.transaction('blobs');
        await Promise.all([...keys.map((k) => tx.store.get(k)), tx.done]);
      }),
    );
    steps.push(
      await timed('get + put a record, a transaction each', count, () =>
        putRecords(db, records, 1),
      ),
    );
    steps.push(
      await timed('get + put a record, 64 to a transaction', count, () =>
        putRecords(db, records, 64),
      ),
    );
    return steps;
  } finally {
    db.close();
    await deleteDB(name);
  }
}
