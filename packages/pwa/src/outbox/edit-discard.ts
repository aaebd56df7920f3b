// Editing a capture's metadata before upload, and discarding a capture: each writes its device event in the same transaction.
import type { UploadCaptureDetails } from '@fieldvault/shared/schemas';
import { CaptureNotFoundError } from './captures';
import type { OutboxDb } from './db';
import { deviceEventRecord } from './events';
import type { CaptureRecord, CaptureTarget } from './schema';

/** Thrown when a capture cannot be changed in its current state. */
export class CaptureLockedError extends Error {
  override readonly name = 'CaptureLockedError';
}

/** An edit: new target and/or details, with the id of the EDITED event. */
export interface CaptureEdit {
  captureId: string;
  target?: CaptureTarget;
  meta?: UploadCaptureDetails;
  eventId: string;
  deviceLabel: string;
  now: number;
}

/**
 * Changes metadata of a capture that has not reached the server yet (no upload session): once `begin` ran,
 * the server holds the metadata it was given, so later edits would silently diverge.
 */
export async function editCapture(db: OutboxDb, edit: CaptureEdit): Promise<CaptureRecord> {
  const tx = db.transaction(['captures', 'uploads', 'events'], 'readwrite');
  const [current, session] = await Promise.all([
    tx.objectStore('captures').get(edit.captureId),
    tx.objectStore('uploads').getKey(edit.captureId),
  ]);
  const editable =
    current &&
    session === undefined &&
    ['queued', 'failed', 'needs-attention'].includes(current.state);
  if (!current || !editable) {
    tx.abort();
    await tx.done.catch(() => undefined);
    if (!current) throw new CaptureNotFoundError(edit.captureId);
    throw new CaptureLockedError('outbox: this capture is already uploading and cannot be edited');
  }
  const next: CaptureRecord = {
    ...current,
    ...(edit.target ? { target: edit.target } : {}),
    ...(edit.meta ? { meta: edit.meta } : {}),
    updatedAt: edit.now,
  };
  const event = deviceEventRecord({
    id: edit.eventId,
    kind: 'edited',
    captureId: edit.captureId,
    deviceLabel: edit.deviceLabel,
    now: edit.now,
    sha256: current.sha256,
  });
  await Promise.all([
    tx.objectStore('captures').put(next),
    tx.objectStore('events').add(event),
    tx.done,
  ]);
  return next;
}

/** What a discard removed: the server session to abort (best effort), if one existed. */
export interface DiscardResult {
  sessionId: string | null;
}

/**
 * Deletes a capture that is not done (record, bytes, session, thumbnail) and records DISCARDED, in one transaction.
 * The UI asks for confirmation first; the engine aborts any upload of it in flight before calling this.
 */
export async function discardCapture(
  db: OutboxDb,
  change: { captureId: string; eventId: string; deviceLabel: string; now: number },
): Promise<DiscardResult> {
  const tx = db.transaction(['captures', 'blobs', 'uploads', 'events', 'thumbnails'], 'readwrite');
  const [current, session] = await Promise.all([
    tx.objectStore('captures').get(change.captureId),
    tx.objectStore('uploads').get(change.captureId),
  ]);
  if (!current || current.state === 'done') {
    tx.abort();
    await tx.done.catch(() => undefined);
    if (!current) throw new CaptureNotFoundError(change.captureId);
    throw new CaptureLockedError(
      'outbox: a verified capture is kept; delete it on the server instead',
    );
  }
  const event = deviceEventRecord({
    id: change.eventId,
    kind: 'discarded',
    captureId: change.captureId,
    deviceLabel: change.deviceLabel,
    now: change.now,
    sha256: current.sha256,
  });
  const writes: Promise<unknown>[] = [
    tx.objectStore('captures').delete(change.captureId),
    tx.objectStore('uploads').delete(change.captureId),
    tx.objectStore('thumbnails').delete(change.captureId),
    tx.objectStore('events').add(event),
  ];
  if (current.blobKey) writes.push(tx.objectStore('blobs').delete(current.blobKey));
  await Promise.all([...writes, tx.done]);
  return { sessionId: session?.sessionId ?? null };
}
