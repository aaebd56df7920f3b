// The outbox facade: every outbox operation bound to one lazily opened database (what the UI and the sync engine use).
import {
  claimUnownedCaptures,
  countPending,
  getCapture,
  getCaptureBlob,
  listCaptures,
  listDue,
  listPending,
  markCaptureDone,
  nextDueAt,
  recordFailure,
  retryCapture,
  setCapturePaused,
  transitionCapture,
} from './captures';
import { createOutboxConnection, type OpenOutboxOptions, type OutboxDb } from './db';
import { discardCapture, editCapture } from './edit-discard';
import { deleteDraft, listDrafts, listThumbnails, putDrafts, setDraftThumbnail } from './drafts';
import { addDeviceEvent, listCaptureEvents, listUnpushedEvents, markEventsPushed } from './events';
import { saveCapture } from './save-capture';
import { isSyncPaused, setSyncPaused } from './settings';
import { setCaptureMd5s } from './upload-md5s';
import {
  addUploadUrls,
  deleteUpload,
  getUpload,
  putUpload,
  recordDonePart,
  setDoneParts,
} from './uploads';

/** Binds an operation `(db, ...args)` to the lazy connection. */
function bindTo(getDb: () => Promise<OutboxDb>) {
  return <A extends unknown[], R>(op: (db: OutboxDb, ...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> =>
      op(await getDb(), ...args);
}

/**
 * Creates the outbox: one function per operation, each opening its own short transaction. Pass a fresh
 * `IDBFactory` in tests; the app passes nothing and gets `indexedDB`.
 */
export function createOutbox(options: OpenOutboxOptions = {}) {
  const connection = createOutboxConnection(options);
  const on = bindTo(connection.getDb);
  return {
    getDb: connection.getDb,
    close: connection.close,
    saveCapture: on(saveCapture),
    setCaptureMd5s: on(setCaptureMd5s),
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
    transitionCapture: on(transitionCapture),
    recordFailure: on(recordFailure),
    setCapturePaused: on(setCapturePaused),
    retryCapture: on(retryCapture),
    markCaptureDone: on(markCaptureDone),
    getUpload: on(getUpload),
    putUpload: on(putUpload),
    deleteUpload: on(deleteUpload),
    recordDonePart: on(recordDonePart),
    setDoneParts: on(setDoneParts),
    addUploadUrls: on(addUploadUrls),
    addDeviceEvent: on(addDeviceEvent),
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
