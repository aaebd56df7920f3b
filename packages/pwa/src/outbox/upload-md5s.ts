// The upload MD5s of a capture, after "Saved": which it needs, storing them, and one computation per capture in this page or worker.
import { partPlan } from '@fieldvault/shared/parts';
import type { UploadMd5s } from '../hash/hash-types';
import type { Md5Pass } from '../hash/md5-pass';
import { createLogger } from '../log/logger';
import type { OutboxDb } from './db';
import type { CaptureRecord } from './schema';
import { runAlone, writeOp } from './write-batch';

const log = createLogger('outbox');

/**
 * The MD5s the capture's upload signs, or `null` while they are not computed yet: `md5` for a single-PUT
 * size, `partMd5s` for a multipart one (a whole-file MD5 an older record may also hold is not sent there:
 * the server binds multipart uploads by part MD5s only).
 */
export function uploadMd5sOf(
  capture: Pick<CaptureRecord, 'size' | 'md5' | 'partMd5s'>,
): UploadMd5s | null {
  if (partPlan(capture.size).kind === 'multipart')
    return capture.partMd5s ? { partMd5s: capture.partMd5s } : null;
  return capture.md5 ? { md5: capture.md5 } : null;
}

/** Computed MD5s for one capture. */
export interface CaptureMd5sChange {
  captureId: string;
  md5s: UploadMd5s;
}

/**
 * Stores computed upload MD5s on a capture. A capture that has them already keeps them (two computations
 * of the same bytes agree) and a discarded one stays gone; resolves with the record as stored.
 */
export const SET_CAPTURE_MD5S = writeOp({
  stores: ['captures'],
  keyOf: (change: CaptureMd5sChange) => change.captureId,
  run: async (tx, change: CaptureMd5sChange): Promise<CaptureRecord | undefined> => {
    const captures = tx.objectStore('captures');
    const current = await captures.get(change.captureId);
    if (!current || uploadMd5sOf(current)) return current;
    const next: CaptureRecord = { ...current, ...change.md5s };
    if (!uploadMd5sOf(next))
      throw new Error(`outbox: MD5s that do not fit the part plan of ${change.captureId}`);
    await captures.put(next);
    return next;
  },
});

/** See {@link SET_CAPTURE_MD5S}; in a transaction of its own. */
export function setCaptureMd5s(
  db: OutboxDb,
  change: CaptureMd5sChange,
): Promise<CaptureRecord | undefined> {
  return runAlone(db, SET_CAPTURE_MD5S, change);
}

/** The outbox operations the MD5 computation reads and writes through (the outbox facade or the sync store). */
export interface UploadMd5sStore {
  getCapture: (captureId: string) => Promise<CaptureRecord | undefined>;
  setCaptureMd5s: (change: CaptureMd5sChange) => Promise<CaptureRecord | undefined>;
}

/** One capture's MD5 computation. */
export interface UploadMd5sJob {
  capture: CaptureRecord;
  /** The capture's stored bytes. */
  blob: Blob;
  pass: Md5Pass;
}

// Computations running in this page or worker, by capture id: the background pass started after "Saved"
// and the sync engine, which needs the MD5s for `uploads.begin` and may come while that pass runs, share one.
const running = new Map<string, Promise<UploadMd5s>>();

function compute(store: UploadMd5sStore, job: UploadMd5sJob): Promise<UploadMd5s> {
  const { captureId } = job.capture;
  const computing = job
    .pass(job.blob, {})
    .then(async (md5s) => {
      await store.setCaptureMd5s({ captureId, md5s });
      return md5s;
    })
    .finally(() => running.delete(captureId));
  running.set(captureId, computing);
  return computing;
}

/** Rejects with the signal's reason when it aborts first; the awaited computation goes on for others. */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  return new Promise<T>((resolve, reject) => {
    const stop = () => reject(signal.reason as Error);
    if (signal.aborted) return stop();
    signal.addEventListener('abort', stop, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', stop));
  });
}

/**
 * Starts computing the capture's upload MD5s in the background (after "Saved"); the result is stored on the
 * record. A failure is only logged: the sync engine computes them before the upload if they are missing.
 */
export function startUploadMd5s(store: UploadMd5sStore, job: UploadMd5sJob): void {
  if (uploadMd5sOf(job.capture) || running.has(job.capture.captureId)) return;
  compute(store, job).catch((error: unknown) => {
    log.warn(`MD5s of ${job.capture.captureId} failed; the upload computes them`, error);
  });
}

/**
 * The capture's upload MD5s for its upload: as the record holds them, else from the computation already
 * running in this page or worker, else as stored since the record was read, else computed now with
 * `job.pass` and stored. `signal` stops the waiting, not a computation that others may share.
 */
export async function ensureUploadMd5s(
  store: UploadMd5sStore,
  job: UploadMd5sJob & { signal?: AbortSignal },
): Promise<UploadMd5s> {
  const { captureId } = job.capture;
  const held = uploadMd5sOf(job.capture);
  if (held) return held;
  const joined = running.get(captureId);
  if (joined) return untilAborted(joined, job.signal);
  const fresh = await store.getCapture(captureId);
  const stored = fresh && uploadMd5sOf(fresh);
  if (stored) return stored;
  return untilAborted(running.get(captureId) ?? compute(store, job), job.signal);
}
