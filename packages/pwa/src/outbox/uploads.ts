// Upload sessions: the server session of a capture, the parts storage acknowledged, and unused signed URLs.
import { CaptureNotFoundError } from './captures';
import type { OutboxDb } from './db';
import type { DonePart, StoredUrl, UploadRecord } from './schema';
import { runAlone, writeOp } from './write-batch';

/** The upload session of a capture, or `undefined`. */
export function getUpload(db: OutboxDb, captureId: string): Promise<UploadRecord | undefined> {
  return db.get('uploads', captureId);
}

/** {@link putUpload} as an operation that can share a transaction. */
export const PUT_UPLOAD = writeOp({
  stores: ['uploads'],
  keyOf: (record: UploadRecord) => record.captureId,
  run: async (tx, record: UploadRecord) => {
    await tx.objectStore('uploads').put(record);
  },
});

/** Stores (replacing) the upload session of a capture. */
export function putUpload(db: OutboxDb, record: UploadRecord): Promise<void> {
  return runAlone(db, PUT_UPLOAD, record);
}

/** A session to store, built from the one stored before (if any). */
export interface UploadUpsert {
  captureId: string;
  build: (previous: UploadRecord | undefined) => UploadRecord;
}

/**
 * Stores the session `build` makes from the stored one, in one read-write step (the engine keeps what a
 * resumed session already holds); resolves with both. Refuses (CaptureNotFoundError) when the capture is
 * gone: discarded in another tab while its `uploads.begin` was on the way, it must leave no session row.
 */
export const UPSERT_UPLOAD = writeOp({
  stores: ['uploads', 'captures'],
  keyOf: (change: UploadUpsert) => change.captureId,
  run: async (tx, change: UploadUpsert) => {
    const uploads = tx.objectStore('uploads');
    const [capture, previous] = await Promise.all([
      tx.objectStore('captures').getKey(change.captureId),
      uploads.get(change.captureId),
    ]);
    if (capture === undefined) throw new CaptureNotFoundError(change.captureId);
    const session = change.build(previous);
    await uploads.put(session);
    return { previous, session };
  },
});

/** See {@link UPSERT_UPLOAD}. */
export function upsertUpload(db: OutboxDb, change: UploadUpsert) {
  return runAlone(db, UPSERT_UPLOAD, change);
}

/** Forgets the upload session of a capture (it expired on the server, or bytes must go again). */
export async function deleteUpload(db: OutboxDb, captureId: string): Promise<void> {
  await db.delete('uploads', captureId);
}

const byPart = (a: { partNumber: number }, b: { partNumber: number }) =>
  a.partNumber - b.partNumber;

/** A change to a stored session; none happens when the session is gone (discarded meanwhile). */
interface UploadChange {
  captureId: string;
  now: number;
}

/** An operation that reads, changes and writes the session in one transaction (parallel parts never lose a write). */
function updateOp<C extends UploadChange>(change: (current: UploadRecord, c: C) => UploadRecord) {
  return writeOp({
    stores: ['uploads'],
    keyOf: (c: C) => c.captureId,
    run: async (tx, c: C): Promise<UploadRecord | undefined> => {
      const uploads = tx.objectStore('uploads');
      const current = await uploads.get(c.captureId);
      const next = current && { ...change(current, c), updatedAt: c.now };
      if (next) await uploads.put(next);
      return next;
    },
  });
}

/** A part storage acknowledged. */
export interface DonePartChange extends UploadChange {
  part: DonePart;
}

/**
 * Persists one part's ETag the moment storage acknowledged it, and drops its used URL. Resolves with
 * `undefined` when the session is gone (discarded meanwhile), so the caller can stop.
 */
export const RECORD_DONE_PART = updateOp((current, c: DonePartChange) => ({
  ...current,
  doneParts: [...current.doneParts.filter((p) => p.partNumber !== c.part.partNumber), c.part].sort(
    byPart,
  ),
  urls: current.urls.filter((u) => u.partNumber !== c.part.partNumber),
}));

/** See {@link RECORD_DONE_PART}. */
export function recordDonePart(db: OutboxDb, change: DonePartChange) {
  return runAlone(db, RECORD_DONE_PART, change);
}

/** What storage reports as stored. */
export interface DonePartsChange extends UploadChange {
  parts: DonePart[];
}

/** Replaces the done parts with what storage reports (`uploads.listParts` is the authority after a crash). */
export const SET_DONE_PARTS = updateOp((current, c: DonePartsChange) => ({
  ...current,
  doneParts: [...c.parts].sort(byPart),
}));

/** See {@link SET_DONE_PARTS}. */
export function setDoneParts(db: OutboxDb, change: DonePartsChange) {
  return runAlone(db, SET_DONE_PARTS, change);
}

/** Fresh signed URLs. */
export interface UploadUrlsChange extends UploadChange {
  urls: StoredUrl[];
}

/** Merges fresh signed URLs into the session (newer ones win). */
export const ADD_UPLOAD_URLS = updateOp((current, c: UploadUrlsChange) => {
  const fresh = new Set(c.urls.map((u) => u.partNumber));
  return {
    ...current,
    urls: [...current.urls.filter((u) => !fresh.has(u.partNumber)), ...c.urls].sort(byPart),
  };
});

/** See {@link ADD_UPLOAD_URLS}. */
export function addUploadUrls(db: OutboxDb, change: UploadUrlsChange) {
  return runAlone(db, ADD_UPLOAD_URLS, change);
}
