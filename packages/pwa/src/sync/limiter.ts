// A counting semaphore: caps concurrent PUTs across all files of a run.

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
