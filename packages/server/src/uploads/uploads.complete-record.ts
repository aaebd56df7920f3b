// The verdict of one `complete`, one transaction per session: verified, hash mismatch or type refusal, with its audit rows and file events.
import { lockVerifiedObject } from '../compliance/object-lock.js';
import { retentionUntilFor } from '../compliance/retention.service.js';
import type { Tx } from '../db/database.js';
import type { FileRow, UploadSessionRow } from '../db/schema.js';
import { recordFileEvents, type FileEventInput } from '../events/events.writer.js';
import { countVerdict, resultOf, typeMismatch, type Outcome } from './uploads.complete-outcome.js';
import * as repo from './uploads.repository.js';
import { auditUploads, type UploadAuditEvent, type UploadDeps } from './uploads.service.js';
import type { Inspection, TypeLie } from './uploads.verify.js';

/**
 * A session claimed for completion: its rows as claimed and the claim's token. `retentionYears` is
 * the org's override for the file's type (null: none) when the claim read it, undefined when not.
 */
export type Claimed = {
  upload: UploadSessionRow;
  file: FileRow;
  claimedAt: Date;
  retentionYears?: number | null;
};
/** A claimed session with what storage holds for it. */
export type Verdict = Claimed & Inspection;

/** The audit rows and file events of a match: UPLOAD_COMPLETED and UPLOAD_VERIFIED, `file.uploaded` and `file.verified`. */
export function verifiedEvents(
  v: Verdict & { now: Date },
  row: FileRow,
): { audit: UploadAuditEvent[]; events: FileEventInput[] } {
  const base = { at: v.now, sessionId: v.upload.id, file: row };
  const completed = { kind: v.upload.kind, size: v.stored.size, etag: v.stored.etag };
  return {
    audit: [
      { ...base, action: 'UPLOAD_COMPLETED', details: completed },
      { ...base, action: 'UPLOAD_VERIFIED', details: { sha256: v.actual } },
    ],
    events: [
      { type: 'file.uploaded', file: row, at: v.now },
      { type: 'file.verified', file: row, at: v.now },
    ],
  };
}

/** Record a mismatch: file `mismatch` under its quarantine key, UPLOAD_COMPLETED and HASH_MISMATCH. */
async function recordMismatch(
  trx: Tx,
  deps: UploadDeps,
  v: Verdict & { movedTo: string; now: Date },
) {
  const { file, upload } = v;
  const row = await repo.updateFile(trx, file.id, { status: 'mismatch', key: v.movedTo });
  const base = { at: v.now, sessionId: upload.id };
  const completed = { kind: upload.kind, size: v.stored.size, etag: v.stored.etag };
  await auditUploads(trx, deps, [
    { ...base, action: 'UPLOAD_COMPLETED', file, details: completed },
    {
      ...base,
      action: 'HASH_MISMATCH',
      file: row,
      success: false,
      errorCode: 'HASH_MISMATCH',
      details: {
        expectedSha256: file.sha256,
        actualSha256: v.actual,
        expectedSize: file.size,
        actualSize: v.stored.size,
        quarantineKey: v.movedTo,
        originalKey: file.key,
      },
    },
  ]);
  await recordFileEvents(trx, [
    { type: 'file.uploaded', file: row, at: v.now },
    {
      type: 'file.mismatch',
      file: row,
      at: v.now,
      details: { actualSha256: v.actual, actualSize: v.stored.size, originalKey: file.key },
    },
  ]);
  return row;
}

/**
 * Record a type refusal: file `mismatch` under its quarantine key (nothing is lost; it is never
 * served as what it claimed), UPLOAD_COMPLETED and FILE_QUARANTINED with TYPE_MISMATCH.
 */
async function recordTypeLie(
  trx: Tx,
  deps: UploadDeps,
  v: Verdict & { movedTo: string; typeLie: TypeLie; now: Date },
) {
  const { file, upload } = v;
  const row = await repo.updateFile(trx, file.id, { status: 'mismatch', key: v.movedTo });
  const base = { at: v.now, sessionId: upload.id };
  const completed = { kind: upload.kind, size: v.stored.size, etag: v.stored.etag };
  const types = { declaredType: v.typeLie.declared, detectedType: v.typeLie.detected };
  await auditUploads(trx, deps, [
    { ...base, action: 'UPLOAD_COMPLETED', file, details: completed },
    {
      ...base,
      action: 'FILE_QUARANTINED',
      file: row,
      success: false,
      errorCode: 'TYPE_MISMATCH',
      details: { ...types, sha256: v.actual, quarantineKey: v.movedTo, originalKey: file.key },
    },
  ]);
  await recordFileEvents(trx, [
    { type: 'file.uploaded', file: row, at: v.now },
    {
      type: 'file.mismatch',
      file: row,
      at: v.now,
      details: { reason: 'TYPE_MISMATCH', ...types, originalKey: file.key },
    },
  ]);
  return row;
}

/** Record a match: file `verified` with its retention and duplicate link, UPLOAD_COMPLETED and UPLOAD_VERIFIED. */
async function recordVerified(trx: Tx, deps: UploadDeps, v: Verdict & { now: Date }) {
  const { file } = v;
  const duplicateOf =
    file.duplicate_of ??
    (await repo.findVerifiedDuplicate(trx, {
      orgId: file.org_id,
      sha256: file.sha256,
      captureId: file.capture_id,
    }));
  const row = await repo.updateFile(trx, file.id, {
    status: 'verified',
    verified_at: v.now,
    duplicate_of: duplicateOf,
    // The org's override where it set one (compliance.retention.set), else the catalogue's default.
    retention_until: await retentionUntilFor(trx, file),
  });
  // With Object Lock on, the bucket holds the bytes until then too; if storage refuses, nothing commits.
  await lockVerifiedObject(deps.store, { key: row.key, until: row.retention_until, now: v.now });
  const { audit, events } = verifiedEvents(v, row);
  await auditUploads(trx, deps, audit);
  await recordFileEvents(trx, events);
  return row;
}

/**
 * The verdict in its own transaction, guarded by our claim, with its audit rows; null when the claim
 * was taken over. Counted in the metrics once committed.
 */
export async function finalise(deps: UploadDeps, v: Verdict): Promise<Outcome | null> {
  const now = deps.clock();
  const result = await deps.db.transaction().execute(async (trx) => {
    const done = await repo.updateSession(
      trx,
      { id: v.upload.id, fromStates: ['completing'], claimedAt: v.claimedAt },
      { state: 'completed', updated_at: now, actual_sha256: v.movedTo ? v.actual : null },
    );
    if (!done) return null;
    const { movedTo, typeLie } = v;
    if (movedTo && typeLie) {
      const row = await recordTypeLie(trx, deps, { ...v, movedTo, typeLie, now });
      return typeMismatch(typeLie, row);
    }
    const row = movedTo
      ? await recordMismatch(trx, deps, { ...v, movedTo, now })
      : await recordVerified(trx, deps, { ...v, now });
    return resultOf(done, row);
  });
  countVerdict(deps.metrics, result);
  return result;
}
