// The file record: what the server knows about one stored capture, as the API returns it.
import { z } from 'zod';
import { isoDateTime, objectId, objectTypeName, sha256Hex, systemName, uuid } from './common.js';

/** Lifecycle of a file: `pending` until its bytes are verified, `mismatch` when they hash differently. */
export const fileStatus = z.enum(['pending', 'verified', 'mismatch', 'deleted']);
/** Lifecycle of a file. */
export type FileStatus = z.infer<typeof fileStatus>;

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
  receivedAt: isoDateTime,
  verifiedAt: isoDateTime.nullable(),
  deletedAt: isoDateTime.nullable(),
  retentionUntil: isoDateTime.nullable(),
  /** Bumped on every change; updates name the version they saw (optimistic concurrency). */
  version: z.number().int().nonnegative(),
});
/** One stored file. */
export type FileRecord = z.infer<typeof fileRecord>;
