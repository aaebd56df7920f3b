// Concurrency helpers of a run: a semaphore capping PUTs across files, lanes over items, batches of server calls.

/** Runs tasks with at most `max` at a time. */
export interface Limiter {
  run<T>(task: () => Promise<T>): Promise<T>;
}

/** Creates a limiter allowing `max` (≥ 1) concurrent tasks, first come first served. */
export function createLimiter(max: number): Limiter {
  let active = 0;
  const waiting: (() => void)[] = [];
  const acquire = () =>
    active < max ? (active++, Promise.resolve()) : new Promise<void>((r) => waiting.push(r));
  const release = () => {
    const next = waiting.shift();
    if (next) next();
    else active--;
  };
  return {
    async run(task) {
      await acquire();
      try {
        return await task();
      } finally {
        release();
      }
    },
  };
}

/** Runs `worker` over `items` with at most `concurrency` at once; stops taking new items once `stop()` is true. */
export async function forEachConcurrent<T>(
  items: readonly T[],
  options: { concurrency: number; stop?: () => boolean },
  worker: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < items.length && !options.stop?.()) {
      const item = items[next++] as T;
      await worker(item);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency) }, lane));
}

/** Runs calls to the server in batches (see {@link createBatchGate}). */
export interface BatchGate {
  run<T>(task: () => Promise<T>): Promise<T>;
}

/**
 * Creates a gate that starts waiting calls together, up to `perBatch` in the same tick (the tRPC transport
 * sends calls made in one tick as one HTTP request), with at most `batches` batches in flight. Receipts
 * arriving while a batch is out wait and go in the next one, so many small receipts cost few round trips
 * and the server is never handed hundreds of `uploads.complete` at once.
 */
export function createBatchGate(options: { batches: number; perBatch: number }): BatchGate {
  let inFlight = 0;
  let scheduled = false;
  const waiting: (() => Promise<void>)[] = [];
  const pump = () => {
    scheduled = false;
    while (inFlight < Math.max(1, options.batches) && waiting.length > 0) {
      const batch = waiting.splice(0, Math.max(1, options.perBatch));
      inFlight++;
      void Promise.all(batch.map((start) => start())).then(() => {
        inFlight--;
        pump();
      });
    }
  };
  return {
    run<T>(task: () => Promise<T>): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        waiting.push(() => Promise.resolve().then(task).then(resolve, reject));
        // Start on the next microtask, so calls queued in this tick share the batch.
        if (!scheduled) {
          scheduled = true;
          queueMicrotask(pump);
        }
      });
    },
  };
}
