// Capture records: reads, the pending query, state changes, pause/retry, and completion (which frees the bytes).
import type { OutboxDb } from './db';
import {
  PENDING_STATES,
  type CaptureError,
  type CaptureOwner,
  type CaptureRecord,
  type CaptureState,
} from './schema';
import { assertTransition } from './transitions';
import { runAlone, writeOp, type WriteTx } from './write-batch';

/** Thrown when an operation names a capture the outbox does not hold. */
export class CaptureNotFoundError extends Error {
  override readonly name = 'CaptureNotFoundError';
  constructor(readonly captureId: string) {
    super(`outbox: no capture ${captureId}`);
  }
}

/** One capture, or `undefined`. */
export function getCapture(db: OutboxDb, captureId: string): Promise<CaptureRecord | undefined> {
  return db.get('captures', captureId);
}

/** Every capture, newest first (the outbox screen's list, done history included). */
export async function listCaptures(db: OutboxDb): Promise<CaptureRecord[]> {
  const all = await db.getAll('captures');
  return all.sort((a, b) => b.createdAt - a.createdAt);
}

const byDueThenAge = (a: CaptureRecord, b: CaptureRecord) =>
  a.nextAttemptAt - b.nextAttemptAt || a.createdAt - b.createdAt;

/**
 * Captures the engine should work on now: pending states whose `nextAttemptAt` ≤ `now`, oldest due first.
 * "Pending" is this index query, never a flag; paused items have `nextAttemptAt = Infinity` and stay out.
 */
export async function listDue(db: OutboxDb, now: number): Promise<CaptureRecord[]> {
  const tx = db.transaction('captures');
  const index = tx.store.index('by-state-next');
  const ranges = PENDING_STATES.map((s) => IDBKeyRange.bound([s, -Infinity], [s, now]));
  const [lists] = await Promise.all([Promise.all(ranges.map((r) => index.getAll(r))), tx.done]);
  return lists.flat().sort(byDueThenAge);
}

/** Every capture still waiting for upload (paused and not yet due ones included), whoever took it. */
export async function listPending(db: OutboxDb): Promise<CaptureRecord[]> {
  const tx = db.transaction('captures');
  const index = tx.store.index('by-state-next');
  const ranges = PENDING_STATES.map((s) => IDBKeyRange.bound([s, -Infinity], [s, Infinity]));
  const [lists] = await Promise.all([Promise.all(ranges.map((r) => index.getAll(r))), tx.done]);
  return lists.flat().sort(byDueThenAge);
}

/**
 * Gives every capture without an owner (saved before owners were recorded) to `owner`, in one transaction;
 * returns how many. The sync engine calls it once per signed-in session, so they go to the first user who
 * signs in after the upgrade: the device cannot know who took them, and the user most likely to is the one
 * already using it.
 */
export async function claimUnownedCaptures(
  db: OutboxDb,
  claim: { owner: CaptureOwner; now: number },
): Promise<number> {
  const tx = db.transaction('captures', 'readwrite');
  let claimed = 0;
  let cursor = await tx.store.openCursor();
  while (cursor) {
    if (!cursor.value.owner) {
      await cursor.update({ ...cursor.value, owner: claim.owner, updatedAt: claim.now });
      claimed++;
    }
    cursor = await cursor.continue();
  }
  await tx.done;
  return claimed;
}

/** How many captures still wait for upload (paused ones included): the badge number. */
export async function countPending(db: OutboxDb): Promise<number> {
  const tx = db.transaction('captures');
  const index = tx.store.index('by-state-next');
  const ranges = PENDING_STATES.map((s) => IDBKeyRange.bound([s, -Infinity], [s, Infinity]));
  const [counts] = await Promise.all([Promise.all(ranges.map((r) => index.count(r))), tx.done]);
  return counts.reduce((sum, n) => sum + n, 0);
}

/** The earliest `nextAttemptAt` after `now` among pending, unpaused captures (for the retry timer), or `null`. */
export async function nextDueAt(db: OutboxDb, now: number): Promise<number | null> {
  const tx = db.transaction('captures');
  const index = tx.store.index('by-state-next');
  const firsts = PENDING_STATES.map(async (s) => {
    const cursor = await index.openCursor(IDBKeyRange.bound([s, now], [s, Infinity], true, true));
    return cursor?.value.nextAttemptAt ?? Infinity;
  });
  const [times] = await Promise.all([Promise.all(firsts), tx.done]);
  const min = Math.min(...times);
  return Number.isFinite(min) ? min : null;
}

/** Fields a state change may set besides the state. */
export type CapturePatch = Partial<
  Pick<CaptureRecord, 'attempts' | 'mismatchCount' | 'nextAttemptAt' | 'lastError' | 'serverFileId'>
>;

/**
 * Reads, changes and writes one capture inside `tx`; throws (writing nothing) if it is gone or `change`
 * refuses, which leaves the transaction's other operations alone.
 */
async function updateIn(
  tx: WriteTx,
  captureId: string,
  change: (current: CaptureRecord) => CaptureRecord,
): Promise<CaptureRecord> {
  const captures = tx.objectStore('captures');
  const current = await captures.get(captureId);
  if (!current) throw new CaptureNotFoundError(captureId);
  const next = change(current);
  await captures.put(next);
  return next;
}

/** Reads, changes and writes one capture in one transaction; throws if it is gone. */
function updateCapture(
  db: OutboxDb,
  captureId: string,
  change: (current: CaptureRecord) => CaptureRecord,
): Promise<CaptureRecord> {
  const op = writeOp({
    stores: ['captures'],
    keyOf: () => captureId,
    run: (tx) => updateIn(tx, captureId, change),
  });
  return runAlone(db, op, undefined);
}

/** A state change: `to` (checked against the state machine), with `patch` applied. */
export interface CaptureTransition {
  captureId: string;
  to: CaptureState;
  now: number;
  patch?: CapturePatch;
}

/** {@link transitionCapture} as an operation that can share a transaction. */
export const TRANSITION_CAPTURE = writeOp({
  stores: ['captures'],
  keyOf: (change: CaptureTransition) => change.captureId,
  run: (tx, change: CaptureTransition) =>
    updateIn(tx, change.captureId, (current) => {
      assertTransition(current.state, change.to);
      return { ...current, ...change.patch, state: change.to, updatedAt: change.now };
    }),
});

/** Moves a capture to `to` (checked against the state machine), applying `patch`. */
export function transitionCapture(db: OutboxDb, change: CaptureTransition): Promise<CaptureRecord> {
  return runAlone(db, TRANSITION_CAPTURE, change);
}

/** Pauses or resumes one capture. Resuming makes it due at once. */
export function setCapturePaused(
  db: OutboxDb,
  change: { captureId: string; paused: boolean; now: number },
): Promise<CaptureRecord> {
  return updateCapture(db, change.captureId, (current) => ({
    ...current,
    paused: change.paused,
    nextAttemptAt: change.paused ? Infinity : change.now,
    updatedAt: change.now,
  }));
}

/** "Retry" from the UI: `needs-attention` goes back to `queued`; due now, attempts and mismatches reset. */
export function retryCapture(
  db: OutboxDb,
  change: { captureId: string; now: number },
): Promise<CaptureRecord> {
  return updateCapture(db, change.captureId, (current) => {
    const to: CaptureState = current.state === 'needs-attention' ? 'queued' : current.state;
    if (to === 'done') throw new Error('outbox: a done capture cannot be retried');
    return {
      ...current,
      state: to,
      attempts: 0,
      mismatchCount: 0,
      paused: false,
      nextAttemptAt: change.now,
      lastError: null,
      updatedAt: change.now,
    };
  });
}

/** A failed attempt: the new state, the reason and the schedule. */
export interface CaptureFailure {
  captureId: string;
  to: CaptureState;
  now: number;
  error: CaptureError;
  patch?: CapturePatch;
}

/** The transition that records `change` (see {@link recordFailure}). */
export function failureTransition(change: CaptureFailure): CaptureTransition {
  const { error, patch, ...rest } = change;
  return { ...rest, patch: { ...patch, lastError: error } };
}

/** Records a failed attempt: back to `failed`/`queued`/`needs-attention` with the reason and next time. */
export function recordFailure(db: OutboxDb, change: CaptureFailure): Promise<CaptureRecord> {
  return transitionCapture(db, failureTransition(change));
}

/** What {@link markCaptureDone} records. */
export interface CaptureDone {
  captureId: string;
  serverFileId: string;
  now: number;
}

/** {@link markCaptureDone} as an operation that can share a transaction. */
export const MARK_CAPTURE_DONE = writeOp({
  stores: ['captures', 'blobs', 'uploads'],
  keyOf: (change: CaptureDone) => change.captureId,
  // Deleting the bytes is slow under load, and the receipts still to be sent need the captures store first.
  background: true,
  run: async (tx, change: CaptureDone) => {
    const captures = tx.objectStore('captures');
    const current = await captures.get(change.captureId);
    if (!current) throw new CaptureNotFoundError(change.captureId);
    assertTransition(current.state, 'done');
    const next: CaptureRecord = {
      ...current,
      state: 'done',
      paused: false,
      serverFileId: change.serverFileId,
      blobKey: null,
      lastError: null,
      nextAttemptAt: 0,
      updatedAt: change.now,
    };
    const writes: Promise<unknown>[] = [
      captures.put(next),
      tx.objectStore('uploads').delete(change.captureId),
    ];
    if (current.blobKey) writes.push(tx.objectStore('blobs').delete(current.blobKey));
    await Promise.all(writes);
    return next;
  },
});

/**
 * The server said `verified`: mark the capture done, keep it as a small history record, and delete its
 * bytes and upload session in the same transaction. Only the engine's verified branch calls this.
 */
export function markCaptureDone(db: OutboxDb, change: CaptureDone): Promise<CaptureRecord> {
  return runAlone(db, MARK_CAPTURE_DONE, change);
}

/** The stored bytes of a capture, or `undefined` when they are gone. */
export async function getCaptureBlob(db: OutboxDb, blobKey: string): Promise<Blob | undefined> {
  const record = await db.get('blobs', blobKey);
  return record?.blob;
}
