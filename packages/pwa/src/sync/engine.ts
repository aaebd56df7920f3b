// The sync engine: one run at a time under the sync lock, pause/resume globally and per item, retry and discard, events for the UI.
import { createLogger } from '../log/logger';
import { uuidv7 } from '../outbox/ids';
import {
  DEFAULT_SYNC_OPTIONS,
  type SyncContext,
  type SyncEngineDeps,
  type SyncEvents,
  type SyncRunResult,
} from './context';
import { createEmitter } from './emitter';
import { createLimiter } from './limiter';
import { SYNC_LOCK_NAME } from './lock';
import { createProgressTracker } from './progress';
import { drain, type RunControl } from './run';

function createContext(deps: SyncEngineDeps): SyncContext {
  const options = { ...DEFAULT_SYNC_OPTIONS, ...deps.options };
  const log = deps.logger ?? createLogger('sync');
  const events = createEmitter<SyncEvents>((error) => log.error('a sync listener threw', error));
  return {
    transport: deps.transport,
    store: deps.store,
    clock: deps.clock,
    random: deps.random,
    options,
    log,
    events,
    limiter: createLimiter(options.totalConcurrency),
    newId: deps.newId ?? (() => uuidv7()),
    deviceLabel: deps.deviceLabel,
    addBytes: () => {},
  };
}

/**
 * Creates a sync engine. `run()` drains the outbox while holding the `fieldvault-sync` lock (so tabs and
 * the service worker never upload the same capture twice); calling it during a run joins that run and
 * makes it look again for new captures before it ends.
 */
export function createSyncEngine(deps: SyncEngineDeps) {
  const ctx = createContext(deps);
  const progress = createProgressTracker(ctx.events);
  ctx.addBytes = (captureId, bytes) => progress.add(captureId, bytes);
  const inFlight = new Map<
    string,
    { controller: AbortController; ended: Promise<void>; end: () => void }
  >();
  let paused = false;
  let current: Promise<SyncRunResult> | null = null;
  let again = false;

  const control: RunControl = {
    isPaused: () => paused,
    progress,
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
  };

  const cancel = async (captureId: string) => {
    const item = inFlight.get(captureId);
    item?.controller.abort(new DOMException('Upload cancelled', 'AbortError'));
    await item?.ended;
  };

  const underLock = async (): Promise<SyncRunResult> => {
    let result: SyncRunResult;
    do {
      again = false;
      result = await drain(ctx, control);
    } while (again && (result.status === 'idle' || result.status === 'waiting'));
    return result;
  };

  /** Runs (or joins the running) sync; resolves with how it ended. */
  const run = (): Promise<SyncRunResult> => {
    if (current) {
      again = true;
      return current;
    }
    current = deps.lock.withLock(SYNC_LOCK_NAME, underLock).finally(() => (current = null));
    return current;
  };

  return {
    run,
    /** Subscribes to engine events; returns the unsubscribe function. */
    on: <K extends keyof SyncEvents>(name: K, listener: (payload: SyncEvents[K]) => void) =>
      ctx.events.on(name, listener),
    /** True while this engine runs or waits for the lock. */
    isRunning: () => current !== null,
    isPaused: () => paused,
    /** Stops all uploads now (parts already stored are kept) until {@link resume}. */
    pause() {
      paused = true;
      for (const item of inFlight.values())
        item.controller.abort(new DOMException('Sync paused', 'AbortError'));
    },
    resume(): Promise<SyncRunResult> {
      paused = false;
      return run();
    },
    async pauseItem(captureId: string): Promise<void> {
      await deps.store.setCapturePaused({ captureId, paused: true, now: deps.clock.now() });
      await cancel(captureId);
    },
    async resumeItem(captureId: string): Promise<SyncRunResult> {
      await deps.store.setCapturePaused({ captureId, paused: false, now: deps.clock.now() });
      return run();
    },
    /** "Retry" on an item that needs attention (or waits for its backoff): due now, counters reset. */
    async retryItem(captureId: string): Promise<SyncRunResult> {
      await deps.store.retryCapture({ captureId, now: deps.clock.now() });
      return run();
    },
    /** Discards a capture (after the user confirmed): stops its upload, deletes it, aborts its server session. */
    async discard(captureId: string): Promise<void> {
      await cancel(captureId);
      const now = deps.clock.now();
      const { sessionId } = await deps.store.discardCapture({
        captureId,
        eventId: ctx.newId(),
        deviceLabel: deps.deviceLabel,
        now,
      });
      if (sessionId)
        await deps.transport
          .abort({ sessionId })
          .catch((e: unknown) =>
            ctx.log.info('abort of a discarded session failed; the server expires it', e),
          );
    },
  };
}

/** A sync engine (see {@link createSyncEngine}). */
export type SyncEngine = ReturnType<typeof createSyncEngine>;
