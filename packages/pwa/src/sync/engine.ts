// The sync engine: one run at a time under the sync lock, pause/resume globally and per item, retry and discard, events for the UI.
import { uuidv7 } from '@fieldvault/shared/ids';
import { md5Pass } from '../hash/md5-pass';
import { createLogger } from '../log/logger';
import {
  DEFAULT_SYNC_OPTIONS,
  type SyncContext,
  type SyncEngineDeps,
  type SyncEvents,
  type SyncOptions,
  type SyncRunResult,
} from './context';
import type { Clock } from './clock';
import { createEmitter } from './emitter';
import {
  anyOf,
  createBatchGate,
  createLimiter,
  createTally,
  type Activity,
  type Limiter,
} from './limiter';
import { createProgressTracker } from './progress';
import { createEngineControl, createRunner, type EngineControl } from './run-control';

/**
 * The batch gates of `uploads.begin` and `uploads.complete`. Completes wait while begins are queued or out:
 * a begin answer is what lets the next receipt's bytes go. They also give way to PUTs, and to receipts
 * whose bytes are still to go (between a begin answer and its PUT no slot is held), for up to
 * `completeDeferMs`: a complete makes the server read the object back and hash it, which on a busy server
 * or storage node slows the bytes still arriving. So the bytes leave the device first, and the receipts
 * already stored are verified in large batches once the PUT slots are idle, or after the deferral. A begin
 * batch short of `callBatchSize` is held while `totalConcurrency` begun receipts already wait for a PUT
 * slot: the bytes have work queued, and a full batch costs the server one request and one transaction.
 */
function createCallGates(ctx: {
  options: SyncOptions;
  limiter: Limiter;
  sending: Activity;
  clock: Clock;
}) {
  const { options, limiter, sending, clock } = ctx;
  const batching = { batches: options.callBatches, perBatch: options.callBatchSize };
  // Begins wait to fill a batch while enough begun receipts wait for a PUT slot; they go once fewer do.
  const supply = { work: limiter, enough: options.totalConcurrency };
  const begin = createBatchGate({ ...batching, holdWhileSupplied: supply });
  const deferTo = {
    activity: anyOf(limiter, sending),
    maxMs: options.completeDeferMs,
    now: () => clock.now(),
    sleep: (ms: number, signal: AbortSignal) => clock.sleep(ms, signal),
  };
  return { begin, complete: createBatchGate({ ...batching, yieldTo: begin, deferTo }) };
}

function createContext(deps: SyncEngineDeps): SyncContext {
  const options = { ...DEFAULT_SYNC_OPTIONS, ...deps.options };
  const log = deps.logger ?? createLogger('sync');
  const limiter = createLimiter(options.totalConcurrency);
  const sending = createTally();
  const events = createEmitter<SyncEvents>((error) => log.error('a sync listener threw', error));
  return {
    transport: deps.transport,
    store: deps.store,
    clock: deps.clock,
    random: deps.random,
    options,
    log,
    events,
    limiter,
    sending,
    calls: createCallGates({ options, limiter, sending, clock: deps.clock }),
    newId: deps.newId ?? (() => uuidv7()),
    deviceLabel: deps.deviceLabel,
    owner: deps.owner ?? null,
    rehash: deps.rehash ?? null,
    md5s: deps.md5s ?? md5Pass,
    addBytes: () => {},
  };
}

/** Discards a capture: stops its upload, deletes it with a DISCARDED event, aborts its server session (best effort). */
async function discardItem(ctx: SyncContext, control: EngineControl, captureId: string) {
  await control.cancel(captureId);
  const change = {
    captureId,
    eventId: ctx.newId(),
    deviceLabel: ctx.deviceLabel,
    now: ctx.clock.now(),
  };
  const { sessionId } = await ctx.store.discardCapture(change);
  if (!sessionId) return;
  await ctx.transport.abort({ sessionId }).catch((e: unknown) => {
    ctx.log.info('abort of a discarded session failed; the server expires it', e);
  });
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
  const control = createEngineControl(progress, {
    store: ctx.store,
    now: () => ctx.clock.now(),
    onError: (message, error) => ctx.log.error(message, error),
  });
  const { run, isRunning } = createRunner(ctx, control, deps.lock);
  const now = () => ctx.clock.now();
  return {
    /** Runs (or joins the running) sync; resolves with how it ended. */
    run,
    /** Subscribes to engine events; returns the unsubscribe function. */
    on: <K extends keyof SyncEvents>(name: K, listener: (payload: SyncEvents[K]) => void) =>
      ctx.events.on(name, listener),
    /** True while this engine runs or waits for the lock. */
    isRunning,
    isPaused: control.isPaused,
    /** The stored global pause (another tab or an earlier page may have set it); also refreshes this engine. */
    async loadPaused(): Promise<boolean> {
      await control.refreshPaused();
      return control.isPaused();
    },
    /**
     * Stops all uploads now (parts already stored are kept) until {@link resume}, on this device: the pause
     * is stored, so it holds after a reload and for the service worker's `sync` event. Resolves once stored.
     */
    pause: (): Promise<void> => control.pause(),
    async resume(): Promise<SyncRunResult> {
      await control.resume();
      return run();
    },
    /** Stops this engine for good (sign-out, the page going away); the stored pause is left as it is. */
    stop: (): void => control.stop(),
    async pauseItem(captureId: string): Promise<void> {
      await ctx.store.setCapturePaused({ captureId, paused: true, now: now() });
      await control.cancel(captureId);
    },
    async resumeItem(captureId: string): Promise<SyncRunResult> {
      await ctx.store.setCapturePaused({ captureId, paused: false, now: now() });
      return run();
    },
    /** "Retry" on an item that needs attention (or waits for its backoff): due now, counters reset. */
    async retryItem(captureId: string): Promise<SyncRunResult> {
      await ctx.store.retryCapture({ captureId, now: now() });
      return run();
    },
    /** Discards a capture after the user confirmed (see {@link discardItem}). */
    discard: (captureId: string): Promise<void> => discardItem(ctx, control, captureId),
  };
}

/** A sync engine (see {@link createSyncEngine}). */
export type SyncEngine = ReturnType<typeof createSyncEngine>;
