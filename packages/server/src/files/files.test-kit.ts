// Test kit: file rows (and optionally their bytes) inserted directly, bypassing the upload protocol (not part of the build).
import { createHash, randomUUID } from 'node:crypto';
import { buildObjectKey } from '@fieldvault/shared/keys';
import type { Database } from '../db/database.js';
import type { FileRow, FileStatus, JsonValue } from '../db/schema.js';
import type { ObjectStore } from '../storage/object-store.js';

export interface SeedFileOptions {
  orgId: string;
  uploadedBy: string;
  captureId?: string;
  system?: string;
  objectType?: string;
  objectId?: string;
  filename?: string;
  contentType?: string;
  status?: FileStatus;
  receivedAt?: Date | string;
  capturedAt?: Date;
  retentionUntil?: Date | null;
  duplicateOf?: string | null;
  meta?: { [key: string]: JsonValue };
  /** Stored under the file's key when given (the sha256 column then matches them). */
  bytes?: Uint8Array;
}

let counter = 0;

/** Insert one file row, storing its bytes first when `bytes` is given. */
export async function seedFile(
  deps: { db: Database; store: ObjectStore },
  o: SeedFileOptions,
): Promise<FileRow> {
  const n = ++counter;
  const captureId = o.captureId ?? randomUUID();
  const capturedAt = o.capturedAt ?? new Date(Date.UTC(2026, 1, 1, 8, 0, n % 60));
  const filename = o.filename ?? `receipt-${n}.jpg`;
  const system = o.system ?? 'accounting';
  const objectType = o.objectType ?? 'receipt';
  const objectId = o.objectId ?? `exp-${n}`;
  const key = buildObjectKey({
    orgId: o.orgId,
    system,
    objectType,
    objectId,
    capturedAt,
    captureId,
    filename,
  });
  const bytes = o.bytes ?? new TextEncoder().encode(`receipt ${n}`);
  const contentType = o.contentType ?? 'image/jpeg';
  if (o.bytes) await deps.store.putObject(key, bytes, { contentType });
  const status = o.status ?? 'verified';
  const verified = status === 'verified' || status === 'deleted';
  return deps.db
    .insertInto('files')
    .values({
      org_id: o.orgId,
      key,
      capture_id: captureId,
      system,
      object_type: objectType,
      object_id: objectId,
      original_filename: filename,
      safe_filename: key.slice(key.lastIndexOf('/') + 1 + captureId.length + 1),
      size: bytes.byteLength,
      content_type: contentType,
      sha256: createHash('sha256').update(bytes).digest('hex'),
      status,
      duplicate_of: o.duplicateOf ?? null,
      uploaded_by: o.uploadedBy,
      device_label: 'fixture phone',
      captured_at: capturedAt,
      ...(o.receivedAt ? { received_at: o.receivedAt } : {}),
      verified_at: verified ? capturedAt : null,
      deleted_at: status === 'deleted' ? capturedAt : null,
      deleted_by: status === 'deleted' ? o.uploadedBy : null,
      retention_until: o.retentionUntil ?? null,
      meta: o.meta ?? {},
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}
