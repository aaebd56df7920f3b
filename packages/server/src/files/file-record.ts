// Maps a `files` row to the shared wire `FileRecord` (dates as ISO strings, nulls kept): the one mapper uploads and files share.
import type { FileRecord } from '@fieldvault/shared/schemas';
import type { FileRow } from '../db/schema.js';

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

/**
 * The receipt date as the device sent it (`meta.receiptDate`, which the `receipt_date` column is generated
 * from). Read from meta, not the column: the two drivers parse a `date` to different instants.
 */
export function receiptDateOf(meta: FileRow['meta']): string | null {
  if (!meta || typeof meta !== 'object' || Array.isArray(meta)) return null;
  const value = meta.receiptDate;
  return typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value) ? value : null;
}

/** The wire form of a file row; system/objectType are catalogue names the DB stores as text. */
export function toFileRecord(row: FileRow): FileRecord {
  return {
    id: row.id,
    orgId: row.org_id,
    key: row.key,
    captureId: row.capture_id,
    system: row.system as FileRecord['system'],
    objectType: row.object_type,
    objectId: row.object_id,
    originalFilename: row.original_filename,
    safeFilename: row.safe_filename,
    size: row.size,
    contentType: row.content_type,
    sha256: row.sha256,
    status: row.status,
    duplicateOf: row.duplicate_of,
    uploadedBy: row.uploaded_by,
    deviceLabel: row.device_label,
    capturedAt: row.captured_at.toISOString(),
    receiptDate: receiptDateOf(row.meta),
    receivedAt: row.received_at.toISOString(),
    verifiedAt: iso(row.verified_at),
    deletedAt: iso(row.deleted_at),
    retentionUntil: iso(row.retention_until),
    version: row.version,
  };
}
