// Saving a new capture: metadata + bytes + thumbnail + CAPTURED event in one transaction, read back and re-hashed, then upload MD5s in the background.
import type { UploadCaptureDetails } from '@fieldvault/shared/schemas';
import type { HashResult, UploadMd5s } from '../hash/hash-types';
import type { Md5Pass } from '../hash/md5-pass';
import { FLUSHED, type OutboxDb } from './db';
import { getCapture } from './captures';
import { deviceEventRecord } from './events';
import {
  setCaptureMd5s,
  startUploadMd5s,
  uploadMd5sOf,
  type CaptureMd5sChange,
} from './upload-md5s';
import type {
  BlobRecord,
  CaptureOwner,
  CaptureRecord,
  CaptureTarget,
  ThumbnailData,
  ThumbnailRecord,
} from './schema';

/** A capture as the capture screen hands it over: the file, its metadata and its capture-time SHA-256. */
export interface NewCapture {
  captureId: string;
  target: CaptureTarget;
  meta?: UploadCaptureDetails;
  /** The signed-in user taking it; only their session uploads it (absent only in older tests' data). */
  owner?: CaptureOwner;
  filename: string;
  contentType: string;
  blob: Blob;
  /**
   * The SHA-256 (the capture proof). Upload MD5s may come along when already known (imports, tests);
   * otherwise the capture is saved without them and they are computed afterwards.
   */
  hashes: HashResult & UploadMd5s;
  deviceLabel: string;
  /** A small JPEG made at pick time; absent for PDFs or when the image could not be decoded. */
  thumbnail?: ThumbnailData;
}

/** Why a capture was not saved; nothing of it is left in the outbox. */
export class CaptureSaveError extends Error {
  override readonly name = 'CaptureSaveError';
  constructor(
    readonly reason: 'quota-exceeded' | 'write-failed' | 'verify-failed',
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Everything {@link saveCapture} needs besides the database. */
export interface SaveCaptureInput {
  capture: NewCapture;
  now: number;
  /** Id of the CAPTURED event (UUID v7). */
  eventId: string;
  /** Re-hashes the stored bytes (the hash worker in the app); its SHA-256 must equal the capture's. */
  verify: (blob: Blob) => Promise<HashResult>;
  /**
   * Computes the upload MD5s (the MD5 Worker in the app) in the background once the capture is saved and
   * verified, from the stored bytes; absent: the sync engine computes them before the upload.
   */
  md5s?: Md5Pass;
}

/** The new capture record: queued, due now, its bytes under its own id. */
function captureRecordOf(c: NewCapture, now: number): CaptureRecord {
  return {
    captureId: c.captureId,
    target: c.target,
    ...(c.meta ? { meta: c.meta } : {}),
    ...(c.owner ? { owner: c.owner } : {}),
    filename: c.filename,
    contentType: c.contentType,
    size: c.blob.size,
    sha256: c.hashes.sha256,
    ...(c.hashes.md5 ? { md5: c.hashes.md5 } : {}),
    ...(c.hashes.partMd5s ? { partMd5s: c.hashes.partMd5s } : {}),
    state: 'queued',
    attempts: 0,
    mismatchCount: 0,
    nextAttemptAt: now,
    paused: false,
    lastError: null,
    serverFileId: null,
    blobKey: c.captureId,
    createdAt: now,
    updatedAt: now,
  };
}

function buildRecords(input: SaveCaptureInput) {
  const { capture: c, now } = input;
  const capture = captureRecordOf(c, now);
  const blob: BlobRecord = {
    key: c.captureId,
    format: 'blob',
    blob: c.blob,
    size: c.blob.size,
    type: c.contentType,
  };
  const event = deviceEventRecord({
    id: input.eventId,
    kind: 'captured',
    captureId: c.captureId,
    deviceLabel: c.deviceLabel,
    now,
    sha256: c.hashes.sha256,
    details: { filename: c.filename, size: c.blob.size },
  });
  const thumbnail: ThumbnailRecord | null = c.thumbnail
    ? { ...c.thumbnail, captureId: c.captureId }
    : null;
  return { capture, blob, event, thumbnail };
}

function saveError(error: unknown): CaptureSaveError {
  const quota = error instanceof DOMException && error.name === 'QuotaExceededError';
  return quota
    ? new CaptureSaveError('quota-exceeded', 'The device is out of storage space.', {
        cause: error,
      })
    : new CaptureSaveError('write-failed', 'The capture could not be stored.', { cause: error });
}

/** Removes every trace of a capture whose stored bytes did not verify. */
async function removeUnverified(db: OutboxDb, keys: { captureId: string; eventId: string }) {
  const tx = db.transaction(['captures', 'blobs', 'events', 'thumbnails'], 'readwrite');
  await Promise.all([
    tx.objectStore('captures').delete(keys.captureId),
    tx.objectStore('blobs').delete(keys.captureId),
    tx.objectStore('thumbnails').delete(keys.captureId),
    tx.objectStore('events').delete(keys.eventId),
    tx.done,
  ]);
}

/** Aborts unless the transaction has already finished (abort then throws InvalidStateError). */
export function abortQuietly(tx: { abort: () => void }) {
  try {
    tx.abort();
  } catch {
    // already aborted or committed
  }
}

/** Writes the records in one transaction: all or nothing. */
async function writeRecords(db: OutboxDb, records: ReturnType<typeof buildRecords>) {
  const { capture, blob, event, thumbnail } = records;
  const tx = db.transaction(['captures', 'blobs', 'events', 'thumbnails'], 'readwrite', FLUSHED);
  const steps = [
    () => tx.objectStore('blobs').add(blob),
    () => tx.objectStore('events').add(event),
    () => tx.objectStore('captures').add(capture),
  ];
  if (thumbnail) steps.push(() => tx.objectStore('thumbnails').put(thumbnail));
  // A write that throws synchronously (DataCloneError on WebKit releases that cannot store Blobs, or a
  // transaction that already aborted) becomes a rejection, and the transaction is aborted so the writes
  // queued before it cannot commit a capture without its bytes.
  const writes = steps.map((write) => {
    try {
      return write();
    } catch (error) {
      abortQuietly(tx);
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
  });
  try {
    await Promise.all([...writes, tx.done]);
  } catch (error) {
    // The requests fail with AbortError; why the transaction aborted (QuotaExceededError) is on `tx.error`.
    throw saveError(tx.error ?? error);
  }
}

/** Reads the stored bytes back: the stored Blob when it hashes to the capture's SHA-256, else null. */
async function readBackVerified(
  db: OutboxDb,
  input: { capture: CaptureRecord; save: SaveCaptureInput },
) {
  const { capture } = input;
  try {
    const stored = await db.get('blobs', capture.captureId);
    if (stored?.blob.size !== capture.size) return null;
    return (await input.save.verify(stored.blob)).sha256 === capture.sha256 ? stored.blob : null;
  } catch {
    return null;
  }
}

/**
 * Stores a capture atomically (metadata, bytes, CAPTURED event: all or nothing), then reads the bytes back
 * and re-hashes them before resolving; only then may the UI say "Saved on this device". Hashing happens
 * before (by the caller) and after, never inside the transaction, which would close while it waits.
 * With `md5s`, the upload MD5s of the stored bytes are computed in the background after it resolved
 * (`startUploadMd5s`). Throws {@link CaptureSaveError}; after any failure nothing of the capture remains.
 */
export async function saveCapture(db: OutboxDb, input: SaveCaptureInput): Promise<CaptureRecord> {
  const { capture, blob, event, thumbnail } = buildRecords(input);
  await writeRecords(db, { capture, blob, event, thumbnail });
  const stored = await readBackVerified(db, { capture, save: input });
  if (!stored) {
    await removeUnverified(db, { captureId: capture.captureId, eventId: event.id });
    throw new CaptureSaveError('verify-failed', 'The stored bytes did not read back identical.');
  }
  if (input.md5s && !uploadMd5sOf(capture)) {
    const store = {
      getCapture: (id: string) => getCapture(db, id),
      setCaptureMd5s: (change: CaptureMd5sChange) => setCaptureMd5s(db, change),
    };
    startUploadMd5s(store, { capture, blob: stored, pass: input.md5s });
  }
  return capture;
}
