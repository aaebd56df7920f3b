// One sync run under the lock: work through due captures until none is left or the run must stop, then push device events.
import { CaptureNotFoundError } from '../outbox/captures';
import type { CaptureRecord } from '../outbox/schema';
import { classifyError } from './classify';
import type { SyncContext, SyncRunResult } from './context';
import { forEachInWindow } from './limiter';
import { computeMd5sAhead } from './md5s-ahead';
import { belongsTo } from './ownership';
import { applyFailure, type RunStop } from './outcomes';
import type { ProgressTracker } from './progress';
import { pushDeviceEvents } from './push-events';
import { uploadItem } from './upload-item';

/** How the engine lets a run see pause requests and cancel single items. */
export interface RunControl {
  /** Paused (globally, by any context) or stopped; nothing more is sent. */
  isPaused: () => boolean;
  /** Re-reads the stored global pause: another tab, a reload or the page may have changed it. */
  refreshPaused: () => Promise<void>;
  /** Registers an item as in flight; its signal aborts on pause or discard. */
  begin: (captureId: string) => AbortSignal;
  end: (captureId: string) => void;
  progress: ProgressTracker;
}

type ItemResult = 'verified' | RunStop | null;

/** Callbacks of one item to its pass: its bytes are stored; the server answered its `begin`. */
interface ItemSignals {
  onSent: () => void;
  onAnswered: () => void;
}

async function attempt(
  ctx: SyncContext,
  job: { capture: CaptureRecord; signal: AbortSignal } & ItemSignals,
): Promise<ItemResult> {
  const { capture, signal, onSent, onAnswered } = job;
  const { captureId } = capture;
  // The bytes are read in a read-only transaction of their own; the attempt's write (state and event)
  // goes with the capture's `uploads.begin` batch (see `uploadItem`).
  // No bytes (lost, or a restored record): begin still runs, the server may already hold the file.
  const blob = capture.blobKey ? await ctx.store.getCaptureBlob(capture.blobKey) : undefined;
  const outcome = await uploadItem(ctx, { capture, blob, signal, onSent, onAnswered });
  if (outcome.kind === 'mismatch')
    return onMismatch(ctx, { capture, blob, message: outcome.message });
  // Verified by the server: only now may the local bytes go.
  await ctx.store.markCaptureDone({
    captureId,
    serverFileId: outcome.fileId,
    now: ctx.clock.now(),
  });
  ctx.events.emit('item-state', { captureId, state: 'done', error: null });
  return 'verified';
}

/** The server holds different bytes: re-upload, unless the local copy itself no longer matches the capture. */
async function onMismatch(
  ctx: SyncContext,
  job: { capture: CaptureRecord; blob: Blob | undefined; message: string },
) {
  const local = job.blob && ctx.rehash ? (await ctx.rehash(job.blob)).sha256 : job.capture.sha256;
  if (local !== job.capture.sha256) {
    const message = 'The copy on this device no longer matches what was captured.';
    return applyFailure(ctx, job.capture, {
      kind: 'permanent',
      code: 'LOCAL_COPY_DAMAGED',
      message,
    });
  }
  return applyFailure(ctx, job.capture, { kind: 'mismatch', message: job.message });
}

/**
 * One attempt at one capture; never throws (a failure becomes the capture's new state). `onSent` is
 * called when its bytes are stored, before it waits for `uploads.complete`.
 */
async function processItem(
  ctx: SyncContext,
  item: { capture: CaptureRecord } & ItemSignals,
  control: RunControl,
): Promise<ItemResult> {
  const { capture } = item;
  const signal = control.begin(capture.captureId);
  control.progress.reset(capture.captureId);
  try {
    return await attempt(ctx, { ...item, signal });
  } catch (error) {
    const failure = signal.aborted ? ({ kind: 'cancelled' } as const) : classifyError(error);
    // Any answer but silence means the network is there.
    if (failure.kind !== 'offline' && failure.kind !== 'cancelled') item.onAnswered();
    if (failure.kind === 'retry')
      ctx.log.warn(`upload of ${capture.captureId} failed; will retry`, error);
    return await applyFailure(ctx, capture, failure).catch((e: unknown) => {
      // Discarded meanwhile (in another tab: its complete then answers CONFLICT): nothing to record.
      if (!(e instanceof CaptureNotFoundError))
        ctx.log.error(`could not record the failure of ${capture.captureId}`, e);
      return null;
    });
  } finally {
    control.end(capture.captureId);
  }
}

/** Pushes device events; network and sign-in problems stop the run like an upload would, others wait for the next run. */
async function pushEvents(ctx: SyncContext): Promise<RunStop | null> {
  try {
    await pushDeviceEvents(ctx);
    return null;
  } catch (error) {
    const failure = classifyError(error);
    if (failure.kind === 'offline') return { reason: 'offline', retryAt: null };
    if (failure.kind === 'auth') return { reason: 'signed-out', retryAt: null };
    ctx.log.warn('pushing device events failed; next run retries', error);
    return null;
  }
}

/**
 * When a capture still due as a run ends (it had its most tries of the run, or its failure could not be
 * recorded: IndexedDB refusing writes) is tried again; without it no timer would be armed at all.
 */
export const OVERDUE_RETRY_MS = 30_000;

async function summarize(
  ctx: SyncContext,
  run: { stop: RunStop | null; uploaded: number; paused: boolean },
): Promise<SyncRunResult> {
  const now = ctx.clock.now();
  // Other users' captures are not this run's business: counting them would keep the timer waiting forever.
  const mine = (await ctx.store.listPending()).filter((c) => belongsTo(c, ctx.owner));
  const later = mine.map((c) => c.nextAttemptAt).filter((at) => at > now && Number.isFinite(at));
  const overdue = (await ctx.store.listDue(now)).some((c) => !c.paused && belongsTo(c, ctx.owner));
  if (overdue) later.push(now + Math.min(OVERDUE_RETRY_MS, ctx.options.backoff.capMs));
  const nextAt = later.length > 0 ? Math.min(...later) : null;
  const pending = mine.length;
  const retryAt = run.stop?.retryAt ?? nextAt;
  const status = run.paused
    ? 'paused'
    : run.stop
      ? run.stop.reason
      : pending > 0
        ? 'waiting'
        : 'idle';
  return { status, uploaded: run.uploaded, pending, retryAt };
}

/** What a run has done so far, written from the item lanes. */
interface RunState {
  stop: RunStop | null;
  uploaded: number;
  tries: Map<string, number>;
  /** False while a run after an offline one has had no answer yet: one receipt probes the network alone. */
  reached: boolean;
}

/**
 * One pass over `due`, in order: up to `fileConcurrency` receipts (and `lookaheadBytes` of them) are begun
 * and sending at once, so while 6 PUTs go the next receipts' IndexedDB reads and `uploads.begin` answers
 * are already done and they wait only for a PUT slot (the run's limiter); upload MD5s still missing are
 * computed ahead of the window, in the same order. A receipt leaves the window as
 * soon as its bytes are stored; its complete runs behind in batches. Resolves when every receipt settled.
 */
async function sendPass(
  ctx: SyncContext,
  control: RunControl,
  job: { due: CaptureRecord[]; run: RunState; halted: () => boolean },
): Promise<void> {
  const { run } = job;
  const settling: Promise<void>[] = [];
  // After an offline run, one receipt goes alone until the server answers: while the network stays
  // away each run then records one attempt, not one per receipt of the window (each a device event
  // the audit trail would carry, run after run).
  let open = () => {};
  const opened = new Promise<void>((resolve) => (open = resolve));
  const onAnswered = () => {
    run.reached = true;
    open();
  };
  const window = {
    maxItems: () => (run.reached ? ctx.options.fileConcurrency : 1),
    maxBytes: ctx.options.lookaheadBytes,
    sizeOf: (capture: CaptureRecord) => capture.size,
    stop: job.halted,
    opened,
  };
  const md5sAhead = computeMd5sAhead(ctx, { due: job.due, stop: job.halted });
  await forEachInWindow(job.due, window, (capture) => {
    run.tries.set(capture.captureId, (run.tries.get(capture.captureId) ?? 0) + 1);
    const sent = ctx.sending.enter();
    return new Promise<void>((free) => {
      const placeFree = () => (sent(), free());
      const item = { capture, onSent: placeFree, onAnswered };
      const settled = processItem(ctx, item, control).then((result) => {
        if (result === 'verified') run.uploaded++;
        else if (result) run.stop ??= result;
      });
      settling.push(settled.finally(placeFree));
    });
  });
  await Promise.all(settling);
  // Every receipt has settled, so its MD5s were stored or joined: only a halted pass leaves it computing.
  if (!job.halted()) await md5sAhead;
}

/**
 * Drains the outbox: due captures, `fileConcurrency` at a time, pass after pass (new captures and
 * immediate re-uploads are picked up), until nothing is due, the user paused, or the network, sign-in
 * or a throttling server says stop. Then pushes device events. Call only while holding the sync lock.
 * `probe` (the last run found no network): one receipt goes first, the rest once the server answered.
 */
export async function drain(
  ctx: SyncContext,
  control: RunControl,
  options: { probe?: boolean } = {},
): Promise<SyncRunResult> {
  ctx.events.emit('run-start', { at: ctx.clock.now() });
  const run: RunState = { stop: null, uploaded: 0, tries: new Map(), reached: !options.probe };
  const maxTries = ctx.options.maxMismatches + 2;
  const halted = () => run.stop !== null || control.isPaused();
  // Read before every pass (not only at start), so a pause from another tab stops the service worker too.
  for (;;) {
    await control.refreshPaused();
    if (halted()) break;
    const due = (await ctx.store.listDue(ctx.clock.now())).filter(
      (c) => !c.paused && belongsTo(c, ctx.owner) && (run.tries.get(c.captureId) ?? 0) < maxTries,
    );
    if (due.length === 0) break;
    control.progress.start(due);
    await sendPass(ctx, control, { due, run, halted });
  }
  // Paused means no network at all; offline or signed out means events cannot go either.
  const mayPush = !control.isPaused() && (run.stop === null || run.stop.reason === 'throttled');
  if (mayPush) run.stop = (await pushEvents(ctx)) ?? run.stop;
  const result = await summarize(ctx, { ...run, paused: control.isPaused() });
  if (result.status === 'signed-out')
    ctx.events.emit('sign-in-needed', { pending: result.pending });
  ctx.events.emit('run-end', result);
  return result;
}
