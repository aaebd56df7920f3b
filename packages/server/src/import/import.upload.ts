// One import item through the upload protocol's own services: begin (idempotent on the item's capture id), server-side put, complete (server verifies the SHA-256).
import { createHash } from 'node:crypto';
import type { FileRecord, UploadBeginInput } from '@fieldvault/shared/schemas';
import { isStorageError } from '../storage/errors.js';
import { beginUpload } from '../uploads/uploads.begin.js';
import { completeUpload } from '../uploads/uploads.complete.js';
import type { UploadDeps } from '../uploads/uploads.service.js';
import type { ImportItemRow } from './import.repository.js';

/** What to upload. */
export interface UploadItem {
  item: ImportItemRow;
  bytes: Buffer;
  filename: string;
  contentType: string;
  sha256: string;
  /** Checked against the catalogue by `checkUpload` before we get here. */
  system: string;
  objectType: string;
  objectId: string;
  /** The file's modification time: the best capture time a folder of files offers (stable across resumes). */
  capturedAt: Date;
}

/**
 * Upload one item and return its verified file. Resuming after a crash repeats the same calls:
 * begin answers the same session (or `verified`), the put finds its bytes already there, and
 * complete is idempotent — so a file is never created twice.
 */
export async function uploadItem(deps: UploadDeps, u: UploadItem): Promise<FileRecord> {
  const begun = await beginUpload(deps, {
    captureId: u.item.capture_id,
    filename: u.filename,
    size: u.bytes.length,
    contentType: u.contentType,
    sha256: u.sha256,
    md5: createHash('md5').update(u.bytes).digest('base64'),
    system: u.system as UploadBeginInput['system'],
    objectType: u.objectType,
    objectId: u.objectId,
    capturedAt: new Date(Math.floor(u.capturedAt.getTime())).toISOString(),
  });
  if (begun.state === 'verified') return begun.file;
  if (begun.state !== 'single') throw new Error(`unexpected upload state ${begun.state}`);
  const key = await deps.db
    .selectFrom('upload_sessions')
    .innerJoin('files', 'files.id', 'upload_sessions.file_id')
    .select('files.key')
    .where('upload_sessions.id', '=', begun.sessionId)
    .executeTakeFirstOrThrow();
  try {
    await deps.store.putObject(key.key, u.bytes, { contentType: u.contentType });
  } catch (err) {
    if (!isStorageError(err, 'object_exists')) throw err;
  }
  const done = await completeUpload(deps, { sessionId: begun.sessionId });
  return done.file;
}
