// The files API's decisions: who sees which file, the lifecycle (soft delete, restore, purge under retention), audited download URLs.
import { fail, isFieldVaultError, type FieldVaultError } from '@fieldvault/shared/errors';
import {
  DOWNLOAD_EXPIRY_DEFAULT,
  FILES_COUNT_CAP,
  FILES_PAGE_DEFAULT,
  type FileDeleteInput,
  type FileDownload,
  type FileDownloadInput,
  type FilePurged,
  type FileRecord,
  type FilesCount,
  type FilesCountInput,
  type FilesListInput,
  type FilesPage,
} from '@fieldvault/shared/schemas';
import { auditFileEvent } from './file-audit.js';
import type { Database, Tx } from '../db/database.js';
import { recordFileEvent } from '../events/events.writer.js';
import type { FileRow, JsonValue } from '../db/schema.js';
import type { ObjectStore } from '../storage/object-store.js';
import {
  purgeBlock,
  purgeLockedFile,
  purgeRefusal,
  type PurgeActor,
} from '../compliance/purge.service.js';
import type { Clock, RequestMeta, SessionInfo } from '../trpc/context.js';
import { toFileRecord } from './file-record.js';
import {
  countFilesUpTo,
  findFileInScope,
  listFilesPage,
  markFileDeleted,
  markFileRestored,
  type FileScope,
} from './files.repository.js';
import { decodeFilesCursor, encodeFilesCursor } from './files.cursor.js';
import { duplicatesOf } from './duplicates.js';
import { keysetPage } from '../db/keyset-page.js';

export interface FilesDeps {
  db: Database;
  store: ObjectStore;
  clock: Clock;
  meta: RequestMeta;
  /** The caller; their org (and for field staff, their own uploads) scopes every query. */
  session: SessionInfo;
}

/** Field staff see what they uploaded; every other role sees the whole org. */
export function fileScope(session: SessionInfo): FileScope {
  return { orgId: session.orgId, ownerId: session.role === 'field' ? session.userId : null };
}

/** Another org's id, another user's id for field staff and no id at all look the same. */
const notFound = () => fail.NOT_FOUND('No such file.');

/** One page of the files the caller may see, newest received (or captured, by `sort`) first. */
export async function listFiles(deps: FilesDeps, input: FilesListInput): Promise<FilesPage> {
  const limit = input?.limit ?? FILES_PAGE_DEFAULT;
  const sort = input?.sort ?? 'received';
  const rows = await listFilesPage(deps.db, {
    scope: fileScope(deps.session),
    filters: input?.filters ?? {},
    sort,
    after: input?.cursor ? decodeFilesCursor(input.cursor) : null,
    limit: limit + 1,
  });
  return keysetPage(rows, limit, {
    toItem: toFileRecord,
    cursorOf: (row) => encodeFilesCursor({ sort, keyUs: Number(row.key_us), id: row.id }),
  });
}

/** How many files the caller may see match `filters`: exact up to FILES_COUNT_CAP, then `capped`. */
export async function countListedFiles(
  deps: Pick<FilesDeps, 'db' | 'session'>,
  input: FilesCountInput,
): Promise<FilesCount> {
  const n = await countFilesUpTo(deps.db, {
    scope: fileScope(deps.session),
    filters: input?.filters ?? {},
    cap: FILES_COUNT_CAP,
  });
  return { count: Math.min(n, FILES_COUNT_CAP), capped: n > FILES_COUNT_CAP };
}

/** One file the caller may see, with the files that are or may be the same receipt. */
export async function getFile(deps: FilesDeps, id: string): Promise<FileRecord> {
  const scope = fileScope(deps.session);
  const file = await findFileInScope(deps.db, { scope, id });
  if (!file) throw notFound();
  return { ...toFileRecord(file), duplicates: await duplicatesOf(deps.db, { scope, file }) };
}

/** Types a browser renders without running anything; the rest is always offered as a download. */
function inlineAllowed(contentType: string): boolean {
  return /^image\/(jpeg|png|gif|webp|heic|heif)$|^application\/pdf$|^text\/plain$/.test(
    contentType,
  );
}

/** Check the file may be downloaded and write its DOWNLOAD_URL_ISSUED row; the disposition granted. */
async function recordDownload(
  trx: Tx,
  deps: FilesDeps,
  q: { input: FileDownloadInput; expiresIn: number; now: Date },
): Promise<{ row: FileRow; disposition: 'attachment' | 'inline' }> {
  const scope = fileScope(deps.session);
  // FOR SHARE: a delete or purge running at the same moment waits for this row to commit.
  const row = await findFileInScope(trx, { scope, id: q.input.id, lock: 'share' });
  if (!row) throw notFound();
  if (row.status !== 'verified') {
    throw fail.CONFLICT('Only verified files can be downloaded.', {
      details: { status: row.status },
    });
  }
  const disposition =
    q.input.disposition === 'inline' && inlineAllowed(row.content_type) ? 'inline' : 'attachment';
  const expiresAt = new Date(q.now.getTime() + q.expiresIn * 1000).toISOString();
  await auditFileEvent(trx, deps, {
    action: 'DOWNLOAD_URL_ISSUED',
    file: row,
    at: q.now,
    details: { disposition, expiresIn: q.expiresIn, expiresAt },
  });
  return { row, disposition };
}

/**
 * A short-lived GET URL for a verified file, signed only after its DOWNLOAD_URL_ISSUED row has
 * committed: when the audit write fails there is no URL. A URL issued just before a soft delete
 * keeps working until it expires (at most 15 minutes; soft-deleted bytes stay in storage).
 */
export async function issueDownloadUrl(
  deps: FilesDeps,
  input: FileDownloadInput,
): Promise<FileDownload> {
  const expiresIn = input.expiresIn ?? DOWNLOAD_EXPIRY_DEFAULT;
  const now = deps.clock();
  const { row, disposition } = await deps.db
    .transaction()
    .execute((trx) => recordDownload(trx, deps, { input, expiresIn, now }));
  const signed = await deps.store.presignGet(row.key, {
    expiresIn,
    downloadName: row.safe_filename,
    disposition,
    contentType: row.content_type,
  });
  return {
    url: signed.url,
    method: 'GET',
    headers: signed.headers,
    expiresAt: signed.expiresAt.toISOString(),
    disposition,
    filename: row.safe_filename,
  };
}

function isUniqueViolation(err: unknown): boolean {
  return (err as { code?: string } | null)?.code === '23505';
}

/**
 * Soft-delete a verified, mismatched or missing file (FILE_DELETED); restore gives that status back.
 * Deleting a deleted file answers it unchanged; a file still uploading or purged cannot be deleted.
 */
export async function deleteFile(deps: FilesDeps, input: FileDeleteInput): Promise<FileRecord> {
  const now = deps.clock();
  try {
    return await deps.db.transaction().execute(async (trx) => {
      const scope = fileScope(deps.session);
      const file = await findFileInScope(trx, { scope, id: input.id, lock: 'update' });
      if (!file) throw notFound();
      if (file.status === 'deleted') return toFileRecord(file);
      if (file.status === 'pending') {
        throw fail.CONFLICT('This file is still uploading.', { details: { status: file.status } });
      }
      if (file.status === 'purged') {
        throw fail.CONFLICT('This file was purged: its bytes are gone and it cannot be deleted.', {
          details: { status: file.status },
        });
      }
      const by = deps.session.userId;
      const row = await markFileDeleted(trx, { id: file.id, from: file.status, at: now, by });
      const details: { [key: string]: JsonValue } = { previousStatus: file.status };
      if (input.reason) details.reason = input.reason;
      await auditFileEvent(trx, deps, { action: 'FILE_DELETED', file: row, at: now, details });
      await recordFileEvent(trx, { type: 'file.deleted', file: row, at: now, details });
      return toFileRecord(row);
    });
  } catch (err) {
    // A mismatch record whose capture was uploaded again: two live rows for one capture.
    if (isUniqueViolation(err)) {
      throw fail.CONFLICT('This capture was uploaded again; purge this record instead.', {
        cause: err,
      });
    }
    throw err;
  }
}

/** Undo a soft delete (FILE_RESTORED); a file that is not deleted is answered unchanged. */
export async function restoreFile(deps: FilesDeps, id: string): Promise<FileRecord> {
  const now = deps.clock();
  return deps.db.transaction().execute(async (trx) => {
    const file = await findFileInScope(trx, { scope: fileScope(deps.session), id, lock: 'update' });
    if (!file) throw notFound();
    if (file.status !== 'deleted') return toFileRecord(file);
    const row = await markFileRestored(trx, file.id);
    await auditFileEvent(trx, deps, {
      action: 'FILE_RESTORED',
      file: row,
      at: now,
      details: { status: row.status, deletedAt: file.deleted_at?.toISOString() ?? null },
    });
    await recordFileEvent(trx, { type: 'file.restored', file: row, at: now });
    return toFileRecord(row);
  });
}

/**
 * Purge a deleted (or mismatched) file: its bytes go (every version), its record stays as a `purged`
 * tombstone, FILE_PURGED in the same transaction — the purge job's rule too (compliance/purge.service).
 * Under retention or a legal hold, or when storage's Object Lock refuses, it answers RETENTION_LOCKED
 * and the refusal is audited too. Purging a purged file answers the first purge.
 */
export async function purgeFile(deps: FilesDeps, id: string): Promise<FilePurged> {
  const now = deps.clock();
  // The file the refusal is about (set inside the transaction, read after it rolled back).
  const seen: { file?: FileRow } = {};
  try {
    const row = await deps.db.transaction().execute(async (trx) => {
      const scope = fileScope(deps.session);
      const file = await findFileInScope(trx, { scope, id, lock: 'update' });
      if (!file) throw notFound();
      if (file.status === 'purged') return file;
      if (file.status !== 'deleted' && file.status !== 'mismatch') {
        throw fail.CONFLICT('Delete the file before purging it.', {
          details: { status: file.status },
        });
      }
      seen.file = file;
      const block = purgeBlock(file, now);
      if (block) throw purgeRefusal(block);
      return purgeLockedFile(trx, deps, {
        file,
        at: now,
        actor: requestActor(deps),
        reason: 'purged by an admin',
      });
    });
    return { id: row.id, purgedAt: (row.purged_at ?? now).toISOString() };
  } catch (err) {
    if (seen.file && isFieldVaultError(err, 'RETENTION_LOCKED'))
      await auditRefusal(deps, { file: seen.file, at: now, err });
    throw err;
  }
}

/** The caller as the audit trail names them. */
function requestActor(deps: FilesDeps): PurgeActor {
  return {
    actor: { userId: deps.session.userId, role: deps.session.role },
    ip: deps.meta.ip,
    userAgent: deps.meta.userAgent,
    deviceLabel: deps.session.deviceLabel,
  };
}

/** Record the refused purge in its own transaction (the attempt matters to compliance). */
async function auditRefusal(
  deps: FilesDeps,
  q: { file: FileRow; at: Date; err: FieldVaultError },
): Promise<void> {
  const details = (q.err.details ?? {}) as { [key: string]: JsonValue };
  await deps.db.transaction().execute((trx) =>
    auditFileEvent(trx, deps, {
      action: 'FILE_PURGED',
      file: q.file,
      at: q.at,
      details,
      errorCode: 'RETENTION_LOCKED',
    }),
  );
}
