// Pause state and in-flight items of one engine, and the single-flight runner that holds the sync lock.
import type { SyncContext, SyncRunResult } from './context';
import { SYNC_LOCK_NAME, type SyncLock } from './lock';
import type { ProgressTracker } from './progress';
import { drain, type RunControl } from './run';

/** {@link RunControl} plus what the engine's API needs. */
export interface EngineControl extends RunControl {
  /** The user's global pause: stops uploads in flight now and stores the pause for every context. */
  pause: () => Promise<void>;
  /** Lifts the global pause here and in the stored setting. */
  resume: () => Promise<void>;
  /** Stops this engine for good (sign-out, unmount) without touching the stored pause. */
  stop: () => void;
  /** Aborts one item's upload and waits until its attempt has ended. */
  cancel: (captureId: string) => Promise<void>;
}

/** Where the global pause is stored, and the time to stamp it with. */
export interface PauseStore {
  store: Pick<SyncContext['store'], 'isSyncPaused' | 'setSyncPaused'>;
  now: () => number;
  onError: (message: string, error: unknown) => void;
}

/**
 * Creates the control: the global pause (a copy of the stored setting, refreshed by every run, so a pause
 * from another tab or a reload holds), a stop flag, and an abort handle per in-flight item.
 */
export function createEngineControl(progress: ProgressTracker, persist: PauseStore): EngineControl {
  const inFlight = new Map<
    string,
    { controller: AbortController; ended: Promise<void>; end: () => void }
  >();
  let paused = false;
  let stopped = false;
  // Writes of the pause run in order, and a refresh waits for them: a run starting right after pause()
  // must not read the old value back.
  let writes: Promise<void> = Promise.resolve();
  const abort = (controller: AbortController, why: string) =>
    controller.abort(new DOMException(why, 'AbortError'));
  const setPaused = (value: boolean) => {
    paused = value;
    if (value) for (const item of inFlight.values()) abort(item.controller, 'Sync paused');
  };
  const store = (value: boolean) => {
    setPaused(value);
    writes = writes
      .then(() => persist.store.setSyncPaused({ paused: value, now: persist.now() }))
      .catch((error: unknown) => persist.onError('could not store the global pause', error));
    return writes;
  };
  return {
    progress,
    isPaused: () => paused || stopped,
    async refreshPaused() {
      await writes;
      try {
        setPaused(await persist.store.isSyncPaused());
      } catch (error) {
        persist.onError('could not read the global pause; keeping the last one', error);
      }
    },
    pause: () => store(true),
    resume: () => store(false),
    stop() {
      stopped = true;
      for (const item of inFlight.values()) abort(item.controller, 'Sync stopped');
    },
    begin(captureId) {
      let end = () => {};
      const ended = new Promise<void>((resolve) => (end = resolve));
      const controller = new AbortController();
      inFlight.set(captureId, { controller, ended, end });
      return controller.signal;
    },
    end(captureId) {
      inFlight.get(captureId)?.end();
      inFlight.delete(captureId);
    },
    async cancel(captureId) {
      const item = inFlight.get(captureId);
      if (!item) return;
      abort(item.controller, 'Upload cancelled');
      await item.ended;
    },
  };
}

/** How a run may end and still drain once more for a call that joined it (paused, signed out and throttled wait). */
const DRAIN_AGAIN_AFTER: ReadonlySet<SyncRunResult['status']> = new Set([
  'idle',
  'waiting',
  'offline',
]);

/**
 * One run at a time per engine, under the sync lock across engines. A call during a run joins it and
 * makes it drain once more before it ends, so a capture saved mid-run is not left for the next trigger.
 * That holds when the run found the network gone, too: the call may be the `online` event, fired while
 * the run's requests were failing, and answering it with the stale "offline" would leave every capture to
 * the offline backoff timer (up to minutes) although the network is back.
 */
export function createRunner(ctx: SyncContext, control: RunControl, lock: SyncLock) {
  let current: Promise<SyncRunResult> | null = null;
  let again = false;
  let claimed = false;
  /** The last run found no network: the next one probes with one receipt first. */
  let offline = false;
  const underLock = async (): Promise<SyncRunResult> => {
    // Captures from before owners were recorded go to the first signed-in user (see `claimUnownedCaptures`).
    if (!claimed && ctx.owner) {
      const count = await ctx.store.claimUnownedCaptures({
        owner: ctx.owner,
        now: ctx.clock.now(),
      });
      if (count > 0)
        ctx.log.info(`${count} capture(s) without an owner given to the signed-in user`);
      claimed = true;
    }
    let result: SyncRunResult;
    do {
      again = false;
      result = await drain(ctx, control, { probe: offline });
      offline = result.status === 'offline';
    } while (again && DRAIN_AGAIN_AFTER.has(result.status));
    return result;
  };
  const run = (): Promise<SyncRunResult> => {
    if (current) {
      again = true;
      return current;
    }
    current = lock.withLock(SYNC_LOCK_NAME, underLock).finally(() => (current = null));
    return current;
  };
  return { run, isRunning: () => current !== null };
}
