// Pause state and in-flight items of one engine, and the single-flight runner that holds the sync lock.
import type { SyncContext, SyncRunResult } from './context';
import { SYNC_LOCK_NAME, type SyncLock } from './lock';
import type { ProgressTracker } from './progress';
import { drain, type RunControl } from './run';

/** {@link RunControl} plus what the engine's API needs. */
export interface EngineControl extends RunControl {
  setPaused: (paused: boolean) => void;
  /** Aborts one item's upload and waits until its attempt has ended. */
  cancel: (captureId: string) => Promise<void>;
}

/** Creates the control: a global pause flag and an abort handle per in-flight item. */
export function createEngineControl(progress: ProgressTracker): EngineControl {
  const inFlight = new Map<
    string,
    { controller: AbortController; ended: Promise<void>; end: () => void }
  >();
  let paused = false;
  const abort = (controller: AbortController, why: string) =>
    controller.abort(new DOMException(why, 'AbortError'));
  return {
    progress,
    isPaused: () => paused,
    setPaused(value) {
      paused = value;
      if (value) for (const item of inFlight.values()) abort(item.controller, 'Sync paused');
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

/**
 * One run at a time per engine, under the sync lock across engines. A call during a run joins it and
 * makes it drain once more before it ends, so a capture saved mid-run is not left for the next trigger.
 */
export function createRunner(ctx: SyncContext, control: RunControl, lock: SyncLock) {
  let current: Promise<SyncRunResult> | null = null;
  let again = false;
  const underLock = async (): Promise<SyncRunResult> => {
    let result: SyncRunResult;
    do {
      again = false;
      result = await drain(ctx, control);
    } while (again && (result.status === 'idle' || result.status === 'waiting'));
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
