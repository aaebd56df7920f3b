// The outbox facade: every outbox operation bound to one lazily opened database (what the UI and the sync engine use).
import { START_ATTEMPT } from './attempts';
import {
  claimUnownedCaptures,
  countPending,
  getCapture,
  getCaptureBlob,
  listCaptures,
  listDue,
  listPending,
  failureTransition,
  MARK_CAPTURE_DONE,
  nextDueAt,
  retryCapture,
  setCapturePaused,
  TRANSITION_CAPTURE,
  type CaptureFailure,
} from './captures';
import { createOutboxConnection, type OpenOutboxOptions, type OutboxDb } from './db';
import { discardCapture, editCapture } from './edit-discard';
import { deleteDraft, listDrafts, listThumbnails, putDrafts, setDraftThumbnail } from './drafts';
import {
  ADD_DEVICE_EVENT,
  listCaptureEvents,
  listUnpushedEvents,
  markEventsPushed,
} from './events';
import { saveCapture } from './save-capture';
import { isSyncPaused, setSyncPaused } from './settings';
import { SET_CAPTURE_MD5S } from './upload-md5s';
import {
  ADD_UPLOAD_URLS,
  deleteUpload,
  getUpload,
  PUT_UPLOAD,
  RECORD_DONE_PART,
  SET_DONE_PARTS,
  UPSERT_UPLOAD,
} from './uploads';
import { createWriteBatcher, type WriteOp } from './write-batch';

/** Binds an operation `(db, ...args)` to the lazy connection. */
function bindTo(getDb: () => Promise<OutboxDb>) {
  return <A extends unknown[], R>(op: (db: OutboxDb, ...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> =>
      op(await getDb(), ...args);
}

/**
 * Creates the outbox: one function per operation, each in a short transaction. The sync engine's
 * per-capture writes (state changes, attempts, sessions, ETags, MD5s, sync events) are group-committed:
 * those asked for while a transaction commits share the next one, and each resolves once its write is
 * committed (see `write-batch.ts`). Pass a fresh `IDBFactory` in tests; the app passes nothing and gets
 * `indexedDB`.
 */
export function createOutbox(options: OpenOutboxOptions = {}) {
  const connection = createOutboxConnection(options);
  const on = bindTo(connection.getDb);
  const batcher = createWriteBatcher(connection.getDb);
  // Upload sessions (begin answers, ETags, URLs) touch the uploads store only: their own queue commits them
  // beside the captures-store writes instead of one queue behind the other.
  const sessionBatcher = createWriteBatcher(connection.getDb);
  const batched =
    <A, R>(op: WriteOp<A, R>) =>
    (arg: A): Promise<R> =>
      batcher.run(op, arg);
  const sessionBatched =
    <A, R>(op: WriteOp<A, R>) =>
    (arg: A): Promise<R> =>
      sessionBatcher.run(op, arg);
  return {
    getDb: connection.getDb,
    close: connection.close,
    saveCapture: on(saveCapture),
    setCaptureMd5s: batched(SET_CAPTURE_MD5S),
    editCapture: on(editCapture),
    discardCapture: on(discardCapture),
    getCapture: on(getCapture),
    getCaptureBlob: on(getCaptureBlob),
    listCaptures: on(listCaptures),
    listDue: on(listDue),
    listPending: on(listPending),
    claimUnownedCaptures: on(claimUnownedCaptures),
    countPending: on(countPending),
    nextDueAt: on(nextDueAt),
    transitionCapture: batched(TRANSITION_CAPTURE),
    recordFailure: (change: CaptureFailure) =>
      batcher.run(TRANSITION_CAPTURE, failureTransition(change)),
    startAttempt: batched(START_ATTEMPT),
    setCapturePaused: on(setCapturePaused),
    retryCapture: on(retryCapture),
    markCaptureDone: batched(MARK_CAPTURE_DONE),
    getUpload: on(getUpload),
    putUpload: sessionBatched(PUT_UPLOAD),
    upsertUpload: sessionBatched(UPSERT_UPLOAD),
    deleteUpload: on(deleteUpload),
    recordDonePart: sessionBatched(RECORD_DONE_PART),
    setDoneParts: sessionBatched(SET_DONE_PARTS),
    addUploadUrls: sessionBatched(ADD_UPLOAD_URLS),
    addDeviceEvent: batched(ADD_DEVICE_EVENT),
    listUnpushedEvents: on(listUnpushedEvents),
    listCaptureEvents: on(listCaptureEvents),
    markEventsPushed: on(markEventsPushed),
    putDrafts: on(putDrafts),
    listDrafts: on(listDrafts),
    deleteDraft: on(deleteDraft),
    setDraftThumbnail: on(setDraftThumbnail),
    listThumbnails: on(listThumbnails),
    isSyncPaused: on(isSyncPaused),
    setSyncPaused: on(setSyncPaused),
  };
}

/** The outbox API (see {@link createOutbox}). */
export type Outbox = ReturnType<typeof createOutbox>;
