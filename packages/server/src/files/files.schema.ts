// Inputs and outputs of the `files` procedures: shared's file record plus the list, download and lifecycle shapes shared lacks.
import {
  fileRecord,
  fileStatus,
  isoDateTime,
  objectId,
  objectTypeName,
  systemName,
  uuid,
} from '@fieldvault/shared/schemas';
import { z } from 'zod';

// TODO(shared): every schema below belongs in @fieldvault/shared/schemas/files.ts (the office desk needs them).
// The cursor codec stays on the server: cursors are opaque to clients.

/** Page size of `files.list`: 1..100, 50 when absent. */
export const FILES_PAGE_DEFAULT = 50;
/** Download URL lifetime in seconds: 5 minutes unless asked, at most 15. */
export const DOWNLOAD_EXPIRY_DEFAULT = 300;
export const DOWNLOAD_EXPIRY_MAX = 900;
export const DOWNLOAD_EXPIRY_MIN = 10;

/** Position after the last row of a page: `received_at` in microseconds (PostgreSQL's precision) and id. */
export interface FilesCursor {
  receivedUs: number;
  id: string;
}

const CURSOR_PREFIX = 'f1.';
const CURSOR_BODY = /^(\d{1,16})\.([0-9a-f-]{36})$/;

/** Encode a page position as an opaque string. */
export function encodeFilesCursor(cursor: FilesCursor): string {
  const body = `${cursor.receivedUs}.${cursor.id}`;
  return CURSOR_PREFIX + Buffer.from(body, 'utf8').toString('base64url');
}

/** The position a cursor names, or null when it is not one of ours. */
export function decodeFilesCursor(cursor: string): FilesCursor | null {
  if (!cursor.startsWith(CURSOR_PREFIX)) return null;
  const body = Buffer.from(cursor.slice(CURSOR_PREFIX.length), 'base64url').toString('utf8');
  const m = CURSOR_BODY.exec(body);
  if (!m?.[1] || !m[2] || !uuid.safeParse(m[2]).success) return null;
  const receivedUs = Number(m[1]);
  return Number.isSafeInteger(receivedUs) ? { receivedUs, id: m[2] } : null;
}

/** `from` must not be after `to`; reported on `to`. */
function orderedRange(v: { from?: string | undefined; to?: string | undefined }): boolean {
  return !v.from || !v.to || Date.parse(v.from) <= Date.parse(v.to);
}

/**
 * `files.list` filters. `from`/`to` (inclusive) bound `receivedAt` — the order of the list — unless
 * `dateField` is `captured`, then `capturedAt`. `text` matches the original filename or the vendor in
 * the capture metadata, case-insensitively, as a substring. Without `status`, deleted files
 * are left out; `status: 'deleted'` lists only them.
 */
export const filesListFilters = z
  .strictObject({
    system: systemName.optional(),
    objectType: objectTypeName.optional(),
    objectId: objectId.optional(),
    status: fileStatus.optional(),
    uploadedBy: uuid.optional(),
    dateField: z.enum(['received', 'captured']).optional(),
    from: isoDateTime.optional(),
    to: isoDateTime.optional(),
    text: z.string().trim().min(1, { error: 'Required' }).max(200).optional(),
    duplicatesOnly: z.boolean().optional(),
  })
  .refine(orderedRange, { error: 'Must not be before from', path: ['to'] });
export type FilesListFilters = z.infer<typeof filesListFilters>;

/** `files.list`: newest received first, keyset pages. */
export const filesListInput = z
  .strictObject({
    filters: filesListFilters.optional(),
    cursor: z
      .string()
      .max(128)
      .refine((c) => decodeFilesCursor(c) !== null, {
        error: 'Not a cursor from a previous page',
      })
      .optional(),
    limit: z.number().int().min(1).max(100).optional(),
  })
  .optional();
export type FilesListInput = z.infer<typeof filesListInput>;

/** One page of `files.list`; `nextCursor` is null on the last page. */
export const filesPage = z.strictObject({
  items: z.array(fileRecord),
  nextCursor: z.string().nullable(),
});
export type FilesPage = z.infer<typeof filesPage>;

/** A file by id (`files.get`, `files.restore`, `files.purge`). */
export const fileIdInput = z.strictObject({ id: uuid });
export type FileIdInput = z.infer<typeof fileIdInput>;

/** `files.delete`: soft delete with an optional reason kept in the audit trail. */
export const fileDeleteInput = z.strictObject({
  id: uuid,
  reason: z.string().trim().min(1, { error: 'Required' }).max(500).optional(),
});
export type FileDeleteInput = z.infer<typeof fileDeleteInput>;

/** `files.downloadUrl`: a short-lived GET URL for a verified file. */
export const fileDownloadInput = z.strictObject({
  id: uuid,
  disposition: z.enum(['attachment', 'inline']).optional(),
  expiresIn: z
    .number()
    .int()
    .min(DOWNLOAD_EXPIRY_MIN, { error: `At least ${DOWNLOAD_EXPIRY_MIN} seconds` })
    .max(DOWNLOAD_EXPIRY_MAX, { error: `At most ${DOWNLOAD_EXPIRY_MAX} seconds` })
    .optional(),
});
export type FileDownloadInput = z.infer<typeof fileDownloadInput>;

/**
 * The signed download. `disposition` is what the URL really carries: `inline` is granted only for
 * types browsers render harmlessly (images, PDF, plain text), anything else downloads.
 */
export const fileDownload = z.strictObject({
  url: z.string(),
  method: z.literal('GET'),
  headers: z.record(z.string(), z.string()),
  expiresAt: isoDateTime,
  disposition: z.enum(['attachment', 'inline']),
  filename: z.string(),
});
export type FileDownload = z.infer<typeof fileDownload>;

/** `files.purge`: the file is gone from storage and the database; the audit trail keeps its facts. */
export const filePurged = z.strictObject({
  id: uuid,
  purgedAt: isoDateTime,
});
export type FilePurged = z.infer<typeof filePurged>;
