// The file record (what the server knows about one stored capture) and the `files` procedures' inputs and outputs.
import { z } from 'zod';
import {
  isoDateTime,
  objectId,
  objectTypeName,
  pagedListInput,
  pageOf,
  refineDateRange,
  sha256Hex,
  systemName,
  uuid,
} from './common.js';

/**
 * Lifecycle of a file: `pending` until its bytes are verified, `mismatch` when they hash differently,
 * `deleted` (soft), `missing` when reconcile finds no object for the record, `purged` when the bytes
 * are gone for good and the record stays for the audit trail.
 */
export const fileStatus = z.enum([
  'pending',
  'verified',
  'mismatch',
  'deleted',
  'missing',
  'purged',
]);
/** Lifecycle of a file. */
export type FileStatus = z.infer<typeof fileStatus>;

/**
 * Another file of the org that may be the same receipt. `exact`: the same bytes (SHA-256) — a
 * re-upload. `possible`: different bytes but the same amount, the same day (the receipt date when
 * given, else the UTC capture day) and a similar vendor (equal, or one starting with the other, once lowercased and stripped to letters
 * and digits) — a receipt photographed twice. `label` says which, in words for the badge.
 */
export const fileDuplicate = z.strictObject({
  id: uuid,
  kind: z.enum(['exact', 'possible']),
  label: z.string(),
  originalFilename: z.string().max(1024),
  status: fileStatus,
  capturedAt: isoDateTime,
  receivedAt: isoDateTime,
  vendor: z.string().nullable(),
  amount: z.string().nullable(),
});
/** Another file of the org that may be the same receipt. */
export type FileDuplicate = z.infer<typeof fileDuplicate>;

/** A calendar day as `YYYY-MM-DD` (a receipt's printed date: no time, no zone). */
export const calendarDay = z.iso.date({ error: 'Must be a date such as 2026-12-05 (YYYY-MM-DD)' });

/** One stored file. Nullable fields are `null`, never absent, so the shape is the same for every row. */
export const fileRecord = z.strictObject({
  id: uuid,
  orgId: uuid,
  key: z.string().min(1).max(1024),
  captureId: uuid,
  system: systemName,
  objectType: objectTypeName,
  objectId,
  originalFilename: z.string().max(1024),
  safeFilename: z.string().min(1).max(255),
  size: z.number().int().nonnegative(),
  contentType: z.string().min(1).max(255),
  sha256: sha256Hex,
  status: fileStatus,
  duplicateOf: uuid.nullable(),
  uploadedBy: uuid,
  deviceLabel: z.string().max(100).nullable(),
  capturedAt: isoDateTime,
  /**
   * The date printed on the receipt as the field worker entered it, `null` when not given. Optional only
   * so answers of servers older than the column still parse; current servers always send it.
   */
  receiptDate: calendarDay.nullable().optional(),
  receivedAt: isoDateTime,
  verifiedAt: isoDateTime.nullable(),
  deletedAt: isoDateTime.nullable(),
  retentionUntil: isoDateTime.nullable(),
  /** Bumped on every change; updates name the version they saw (optimistic concurrency). */
  version: z.number().int().nonnegative(),
  /** Only from `files.get`: other files that are (exact) or may be (possible) the same receipt. */
  duplicates: z
    .strictObject({ exact: z.array(fileDuplicate), possible: z.array(fileDuplicate) })
    .optional(),
});
/** One stored file. */
export type FileRecord = z.infer<typeof fileRecord>;

/** Page size of `files.list`: 1..100, 50 when absent. */
export const FILES_PAGE_DEFAULT = 50;
/** Download URL lifetime in seconds when not asked for: 5 minutes. */
export const DOWNLOAD_EXPIRY_DEFAULT = 300;
/** Longest download URL lifetime in seconds: 15 minutes. */
export const DOWNLOAD_EXPIRY_MAX = 900;
/** Shortest download URL lifetime in seconds. */
export const DOWNLOAD_EXPIRY_MIN = 10;

/**
 * `files.list` filters. `from`/`to` (inclusive) bound `receivedAt` — the order of the list — unless
 * `dateField` is `captured`, then `capturedAt`. `text` matches the original filename, the vendor or the
 * note in the capture metadata, case-insensitively, as a substring. Without `status`, deleted files
 * are left out; `status: 'deleted'` lists only them.
 */
export const filesListFilters = refineDateRange(
  z.strictObject({
    system: systemName.optional(),
    objectType: objectTypeName.optional(),
    objectId: objectId.optional(),
    status: fileStatus.optional(),
    uploadedBy: uuid.optional(),
    dateField: z.enum(['received', 'captured']).optional(),
    from: isoDateTime.optional(),
    to: isoDateTime.optional(),
    text: z.string().trim().min(1, { error: 'Required' }).max(200).optional(),
    /** Files with an exact duplicate they repeat (`duplicateOf` set) or a possible duplicate (see `fileDuplicate`). */
    duplicatesOnly: z.boolean().optional(),
  }),
);
/** `files.list` filters. */
export type FilesListFilters = z.infer<typeof filesListFilters>;

/** The order of `files.list`: newest received (the default) or newest captured first, then id. */
export const filesSort = z.enum(['received', 'captured']);
/** The order of `files.list`. */
export type FilesSort = z.infer<typeof filesSort>;

/**
 * `files.list`: newest first by `sort` (received by default), keyset pages. `cursor` is opaque: pass
 * back a page's `nextCursor` unchanged with the same `sort` (the server refuses any other string).
 */
export const filesListInput = pagedListInput(filesListFilters, 128)
  .unwrap()
  .extend({ sort: filesSort.optional() })
  .optional();
/** `files.list` input. */
export type FilesListInput = z.infer<typeof filesListInput>;

/** One page of `files.list`; `nextCursor` is null on the last page. */
export const filesPage = pageOf(fileRecord);
/** One page of `files.list`. */
export type FilesPage = z.infer<typeof filesPage>;

/** `files.count` counts exactly up to this many matches and says "more" beyond (stays fast on millions of rows). */
export const FILES_COUNT_CAP = 10_000;

/** `files.count`: how many files match the same filters as `files.list` (same role rules). */
export const filesCountInput = z.strictObject({ filters: filesListFilters.optional() }).optional();
/** `files.count` input. */
export type FilesCountInput = z.infer<typeof filesCountInput>;

/** The count, exact up to {@link FILES_COUNT_CAP}; `capped` when more match ("10,000+"). */
export const filesCount = z.strictObject({
  count: z.number().int().nonnegative(),
  capped: z.boolean(),
});
/** The answer to `files.count`. */
export type FilesCount = z.infer<typeof filesCount>;

/** A file by id (`files.get`, `files.restore`, `files.purge`). */
export const fileIdInput = z.strictObject({ id: uuid });
/** A file by id. */
export type FileIdInput = z.infer<typeof fileIdInput>;

/** `files.delete`: soft delete with an optional reason kept in the audit trail. */
export const fileDeleteInput = z.strictObject({
  id: uuid,
  reason: z.string().trim().min(1, { error: 'Required' }).max(500).optional(),
});
/** `files.delete` input. */
export type FileDeleteInput = z.infer<typeof fileDeleteInput>;

/** How a download URL asks the browser to treat the file. */
const disposition = z.enum(['attachment', 'inline']);

/** `files.downloadUrl`: a short-lived GET URL for a verified file. */
export const fileDownloadInput = z.strictObject({
  id: uuid,
  disposition: disposition.optional(),
  expiresIn: z
    .number()
    .int()
    .min(DOWNLOAD_EXPIRY_MIN, { error: `At least ${DOWNLOAD_EXPIRY_MIN} seconds` })
    .max(DOWNLOAD_EXPIRY_MAX, { error: `At most ${DOWNLOAD_EXPIRY_MAX} seconds` })
    .optional(),
});
/** `files.downloadUrl` input. */
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
  disposition,
  filename: z.string(),
});
/** The signed download. */
export type FileDownload = z.infer<typeof fileDownload>;

/** `files.purge`: the file is gone from storage and the database; the audit trail keeps its facts. */
export const filePurged = z.strictObject({
  id: uuid,
  purgedAt: isoDateTime,
});
/** The answer to `files.purge`. */
export type FilePurged = z.infer<typeof filePurged>;

/**
 * `files.verify` ("Verify now"): the server re-read and re-hashed the stored object. `verified` — the
 * bytes still hash to the device's SHA-256 (`file.verifiedAt` is now); `mismatch` — they do not (the
 * file is now `mismatch`); `missing` — storage has no object at the key (`actualSha256` and
 * `actualSize` null; the file is now `missing`, as reconcile records it). Every verdict is audited.
 */
export const fileVerifyResult = z.strictObject({
  state: z.enum(['verified', 'mismatch', 'missing']),
  file: fileRecord,
  expectedSha256: sha256Hex,
  actualSha256: sha256Hex.nullable(),
  actualSize: z.number().int().nonnegative().nullable(),
  checkedAt: isoDateTime,
});
/** The answer to `files.verify`. */
export type FileVerifyResult = z.infer<typeof fileVerifyResult>;
