// Concurrency helpers of a run: a semaphore capping PUTs across files, lanes and a byte window over items, batches of server calls.

/** Something calls can wait behind: busy or not, and a signal when it goes idle. */
export interface Activity {
  /** True while tasks of it run or wait. */
  busy(): boolean;
  /** Calls `listener` whenever it has gone idle. */
  onIdle(listener: () => void): void;
}

/** Work counted in and out: busy while any of it is in. */
export interface Tally extends Activity {
  /** Counts one piece of work in; the returned function counts it out (once, however often called). */
  enter(): () => void;
}

/** Creates a {@link Tally}. */
export function createTally(): Tally {
  let count = 0;
  const idle: (() => void)[] = [];
  return {
    busy: () => count > 0,
    onIdle: (listener) => void idle.push(listener),
    enter() {
      count++;
      let left = false;
      return () => {
        if (left) return;
        left = true;
        if (--count === 0) for (const listener of idle) listener();
      };
    },
  };
}

/** Busy while any of `activities` is; its idle listeners hear when one goes idle and none is busy. */
export function anyOf(...activities: Activity[]): Activity {
  const busy = () => activities.some((a) => a.busy());
  return {
    busy,
    onIdle: (listener) => {
      for (const a of activities) a.onIdle(() => (busy() ? undefined : listener()));
    },
  };
}

/** Runs tasks with at most `max` at a time; busy while one runs or waits. */
export interface Limiter extends Activity {
  run<T>(task: () => Promise<T>): Promise<T>;
  /**
   * Runs `task` in a slot no `run` caller waits for: it queues behind every one of them, now and later
   * (a file's extra parts take only the PUT slots other files leave free). Once `withdraw` aborts, a
   * call still waiting leaves the queue and resolves `undefined` without running `task`.
   */
  runSpare<T>(task: () => Promise<T>, withdraw: AbortSignal): Promise<T | undefined>;
  /** Tasks of `run` waiting for a slot (work ready to go the moment one frees). */
  queued(): number;
  /** Calls `listener` whenever a waiting task got its slot or a slot went free. */
  onRelease(listener: () => void): void;
}

/** Creates a limiter allowing `max` (≥ 1) concurrent tasks, first come first served (spare ones last). */
export function createLimiter(max: number): Limiter {
  let active = 0;
  const waiting: (() => void)[] = [];
  const spare: (() => void)[] = [];
  const idle: (() => void)[] = [];
  const released: (() => void)[] = [];
  // A free slot means nobody waits: `release` hands a slot straight to the next waiter.
  const acquire = () =>
    active < max ? (active++, Promise.resolve()) : new Promise<void>((r) => waiting.push(r));
  const acquireSpare = (withdraw: AbortSignal) =>
    new Promise<boolean>((resolve) => {
      if (withdraw.aborted) return resolve(false);
      if (active < max) return (active++, resolve(true));
      const grant = () => {
        withdraw.removeEventListener('abort', drop);
        resolve(true);
      };
      const drop = () => {
        const at = spare.indexOf(grant);
        if (at >= 0) spare.splice(at, 1);
        resolve(false);
      };
      spare.push(grant);
      withdraw.addEventListener('abort', drop, { once: true });
    });
  const release = () => {
    const next = waiting.shift() ?? spare.shift();
    if (next) next();
    else if (--active === 0) for (const listener of idle) listener();
    for (const listener of released) listener();
  };
  const holding = async <T>(task: () => Promise<T>): Promise<T> => {
    try {
      return await task();
    } finally {
      release();
    }
  };
  return {
    busy: () => active > 0,
    onIdle: (listener) => void idle.push(listener),
    queued: () => waiting.length,
    onRelease: (listener) => void released.push(listener),
    async run(task) {
      await acquire();
      return holding(task);
    },
    async runSpare(task, withdraw) {
      return (await acquireSpare(withdraw)) ? holding(task) : undefined;
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

/** How many items, and how many of their bytes, {@link forEachInWindow} lets in at once. */
export interface WindowOptions<T> {
  /** A number, or read each time an item waits (a window that opens up later). */
  maxItems: number | (() => number);
  maxBytes: number;
  sizeOf: (item: T) => number;
  /** Once true, no further item is let in (those inside finish). */
  stop?: () => boolean;
  /** Resolves when `maxItems` has grown: waiting items look again. */
  opened?: Promise<void>;
}

/**
 * Runs `worker` over `items` in order, each holding a place in a window of at most `maxItems` items and
 * `maxBytes` bytes until the promise `worker` returned settles; an item of `maxBytes` or more waits until it
 * can go alone. `worker` must not reject. Resolves when every item let in has settled.
 */
export async function forEachInWindow<T>(
  items: readonly T[],
  options: WindowOptions<T>,
  worker: (item: T) => Promise<void>,
): Promise<void> {
  let count = 0;
  let bytes = 0;
  let wake = () => {};
  const running: Promise<void>[] = [];
  const maxItems = () =>
    typeof options.maxItems === 'function' ? options.maxItems() : options.maxItems;
  const full = (size: number) =>
    count > 0 && (count >= Math.max(1, maxItems()) || bytes + size > options.maxBytes);
  void options.opened?.then(() => wake());
  for (const item of items) {
    const size = Math.min(Math.max(0, options.sizeOf(item)), options.maxBytes);
    while (!options.stop?.() && full(size)) await new Promise<void>((r) => (wake = r));
    if (options.stop?.()) break;
    count++;
    bytes += size;
    const release = () => {
      count--;
      bytes -= size;
      wake();
    };
    running.push(worker(item).finally(release));
  }
  await Promise.all(running);
}

/** Runs calls to the server in batches (see {@link createBatchGate}); busy while calls wait or are in flight. */
export interface BatchGate extends Activity {
  run<T>(task: () => Promise<T>): Promise<T>;
}

/** How {@link createBatchGate} batches. */
export interface BatchGateOptions {
  batches: number;
  perBatch: number;
  /** Work whose calls go first: this gate starts no batch while it is busy. */
  yieldTo?: Activity;
  /**
   * Work this gate gives way to for a while: no batch starts while it is busy, unless the oldest waiting
   * call has waited `maxMs` (then a batch goes anyway). `sleep` is the clock's.
   */
  deferTo?: {
    activity: Activity;
    maxMs: number;
    now: () => number;
    sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  };
  /**
   * The work this gate's answers feed: while at least `enough` of its tasks wait for a slot, a batch short
   * of `perBatch` is held, so calls go in full batches (one HTTP request and one server transaction for
   * more of them) while there is work enough to do anyway; it goes as soon as fewer wait.
   */
  holdWhileSupplied?: { work: Pick<Limiter, 'queued' | 'onRelease'>; enough: number };
}

/**
 * Creates a gate that starts waiting calls together, up to `perBatch` in the same tick (the tRPC transport
 * sends calls made in one tick as one HTTP request), with at most `batches` batches in flight. Receipts
 * arriving while a batch is out wait and go in the next one, so many small receipts cost few round trips
 * and the server is never handed hundreds of `uploads.complete` at once.
 */
export function createBatchGate(options: BatchGateOptions): BatchGate {
  const { yieldTo, deferTo } = options;
  let inFlight = 0;
  let scheduled = false;
  /** The wake-up armed for when the oldest waiting call has given way long enough. */
  let deferTimer: AbortController | null = null;
  const waiting: { start: () => Promise<void>; since: number }[] = [];
  const idle: (() => void)[] = [];
  const schedule = () => {
    if (scheduled || waiting.length === 0) return;
    scheduled = true;
    // Start on the next microtask, so calls queued in this tick share the batch.
    queueMicrotask(pump);
  };
  /** True (and a wake-up armed) while the deferred-to work is busy and the oldest call may wait longer. */
  const givingWay = (): boolean => {
    const oldest = waiting[0];
    if (!oldest || !deferTo?.activity.busy()) return false;
    const left = oldest.since + deferTo.maxMs - deferTo.now();
    if (left <= 0) return false;
    if (!deferTimer) {
      const timer = new AbortController();
      deferTimer = timer;
      deferTo.sleep(left, timer.signal).then(
        () => {
          if (deferTimer === timer) deferTimer = null;
          schedule();
        },
        () => undefined,
      );
    }
    return true;
  };
  const perBatch = Math.max(1, options.perBatch);
  /** A batch short of `perBatch` waits while the work its answers feed has enough queued. */
  const holding = () => {
    const supplied = options.holdWhileSupplied;
    return !!supplied && waiting.length < perBatch && supplied.work.queued() >= supplied.enough;
  };
  const pump = () => {
    scheduled = false;
    if (yieldTo?.busy() || givingWay()) return;
    deferTimer?.abort();
    deferTimer = null;
    while (inFlight < Math.max(1, options.batches) && waiting.length > 0 && !holding()) {
      const batch = waiting.splice(0, perBatch);
      inFlight++;
      void Promise.all(batch.map((call) => call.start())).then(() => {
        inFlight--;
        pump();
        if (inFlight === 0 && waiting.length === 0) for (const listener of idle) listener();
      });
    }
  };
  yieldTo?.onIdle(schedule);
  deferTo?.activity.onIdle(schedule);
  options.holdWhileSupplied?.work.onRelease(schedule);
  return {
    run<T>(task: () => Promise<T>): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        const start = () => Promise.resolve().then(task).then(resolve, reject);
        waiting.push({ start, since: deferTo?.now() ?? 0 });
        schedule();
      });
    },
    busy: () => inFlight > 0 || waiting.length > 0,
    onIdle: (listener) => void idle.push(listener),
  };
}
