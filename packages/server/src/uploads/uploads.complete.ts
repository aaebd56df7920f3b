// `uploads.complete`: claim the session, finish and verify the stored bytes outside any transaction, then record the verdict.
import { lockVerifiedObject } from '../compliance/object-lock.js';
import { retentionUntilFor } from '../compliance/retention.service.js';
import { fail, FieldVaultError, isFieldVaultError } from '@fieldvault/shared/errors';
import type { UploadCompleteInput, UploadCompleteOutput } from '@fieldvault/shared/schemas';
import type { Tx } from '../db/database.js';
import type { FileRow, UploadSessionRow } from '../db/schema.js';
import { recordFileEvents } from '../events/events.writer.js';
import { toFileRecord } from '../files/file-record.js';
import * as repo from './uploads.repository.js';
import { holdClaim } from './uploads.claim-lease.js';
import { inspect, type Inspection, type TypeLie } from './uploads.verify.js';
import {
  auditUploads,
  CLAIM_TIMEOUT_MS,
  sessionForCaller,
  storageToFieldVault,
  type UploadDeps,
} from './uploads.service.js';

/**
 * How long a concurrent `complete` waits for the claimer's verdict before asking the device to retry:
 * longer than a claim lives unrenewed, so a waiter outlives a crashed holder and takes over itself.
 */
const WAIT_FOR_CLAIM_MS = CLAIM_TIMEOUT_MS + 10_000;
/** Waiters poll with exponential backoff and jitter, so fifty of them do not starve the claimer's own transaction. */
const POLL_MIN_MS = 20;
const POLL_MAX_MS = 500;

type Claimed = { upload: UploadSessionRow; file: FileRow; claimedAt: Date };
/** A verdict as an answer, or the refusal to throw once its transaction has committed. */
type Outcome = UploadCompleteOutput | FieldVaultError;
type ClaimStep =
  { kind: 'done'; result: Outcome } | { kind: 'busy' } | ({ kind: 'claimed' } & Claimed);

/**
 * Finish an upload and verify it. Exactly one caller claims the session (`open` → `completing`, row
 * locked in a short transaction); it completes the multipart upload and hashes the stored bytes with
 * no transaction open, then records the verdict in a second transaction guarded by its claim.
 * Concurrent callers wait for that verdict and return the same answer; a claim whose holder crashed
 * is taken over once it has gone {@link CLAIM_TIMEOUT_MS} without renewal.
 */
export async function completeUpload(
  deps: UploadDeps,
  input: UploadCompleteInput,
): Promise<UploadCompleteOutput> {
  const deadline = Date.now() + WAIT_FOR_CLAIM_MS;
  for (let attempt = 0; ; attempt++) {
    const step = (await claimOpen(deps, input.sessionId)) ?? (await claim(deps, input.sessionId));
    if (step.kind === 'done') return answer(step.result);
    if (step.kind === 'claimed') {
      const result = await verifyClaimed(deps, { ...step, parts: input.parts });
      if (result) return answer(result);
    } else if (Date.now() > deadline) {
      throw fail.IN_PROGRESS('This upload is still being completed; try again shortly', {
        details: { field: 'sessionId', state: 'completing' },
      });
    }
    const backoff = Math.min(POLL_MAX_MS, POLL_MIN_MS * 2 ** attempt);
    await new Promise((resolve) =>
      setTimeout(resolve, backoff / 2 + Math.random() * (backoff / 2)),
    );
  }
}

/** Return a verdict, or throw a refusal (only ever after the transaction recording it committed). */
function answer(outcome: Outcome): UploadCompleteOutput {
  if (outcome instanceof FieldVaultError) throw outcome;
  return outcome;
}

/**
 * TYPE_MISMATCH for bytes refused for their type: a permanent refusal (the device parks the capture
 * as needing attention and keeps its copy), naming what was declared and what the bytes are.
 */
function typeMismatch(lie: TypeLie, file: FileRow): FieldVaultError {
  const detected = lie.detected ?? 'not a recognised file type';
  return fail.TYPE_MISMATCH(
    `The file was declared ${lie.declared} but its content is ${detected}; it was not verified and is kept in quarantine`,
    {
      details: {
        field: 'contentType',
        declaredType: lie.declared,
        detectedType: lie.detected,
        fileId: file.id,
      },
    },
  );
}

/**
 * The answer for a completed session, read from the rows (idempotent repeats). A `mismatch` whose
 * stored bytes hashed true can only have been refused for their type.
 */
async function outcomeOf(trx: Tx, upload: UploadSessionRow, file: FileRow): Promise<Outcome> {
  if (file.status === 'mismatch' && upload.actual_sha256 === file.sha256) {
    const where = { orgId: file.org_id, id: file.id };
    const lie = await repo.findTypeRefusal(trx, where);
    return typeMismatch(lie ?? { declared: file.content_type, detected: null }, file);
  }
  return resultOf(upload, file);
}

/** The answer for a verdict that is not a type refusal. */
function resultOf(upload: UploadSessionRow, file: FileRow): UploadCompleteOutput {
  if (file.status === 'mismatch') {
    return {
      state: 'mismatch',
      file: toFileRecord(file),
      actualSha256: upload.actual_sha256 ?? file.sha256,
    };
  }
  return { state: 'verified', file: toFileRecord(file) };
}

/**
 * The common case in one autocommitted statement: an open session the caller may act on becomes
 * theirs. Null otherwise — done, busy, expired, aborted, a stale claim or not theirs — and
 * {@link claim} decides in its transaction.
 */
async function claimOpen(deps: UploadDeps, sessionId: string): Promise<ClaimStep | null> {
  const { orgId, role, userId } = deps.session;
  const now = deps.clock();
  const upload = await repo.claimOpenSession(deps.db, {
    orgId,
    id: sessionId,
    // mayActOn: office and admin act on the whole org's uploads, everyone else on their own.
    uploadedBy: role === 'office' || role === 'admin' ? null : userId,
    now,
  });
  if (!upload) return null;
  const file = await repo.findFile(deps.db, { orgId, id: upload.file_id });
  if (!file) {
    // Only a file purged in between; give the claim back rather than leave it to lapse.
    await repo.updateSession(
      deps.db,
      { id: upload.id, fromStates: ['completing'], claimedAt: now },
      { state: 'open', claimed_at: null },
    );
    throw fail.NOT_FOUND('No such upload session', { details: { field: 'sessionId' } });
  }
  return { kind: 'claimed', upload, file, claimedAt: now };
}

/** Short transaction: lock the session row and claim it, or report the verdict / that someone else holds it. */
function claim(deps: UploadDeps, sessionId: string): Promise<ClaimStep> {
  return deps.db.transaction().execute(async (trx): Promise<ClaimStep> => {
    const { upload, file } = await sessionForCaller(trx, deps, { sessionId, lock: true });
    const now = deps.clock();
    if (upload.state === 'completed')
      return { kind: 'done', result: await outcomeOf(trx, upload, file) };
    if (upload.state === 'aborted')
      throw fail.CONFLICT('This upload session was aborted', { details: { field: 'sessionId' } });
    if (upload.state === 'expired' || (upload.state === 'open' && upload.expires_at <= now)) {
      throw fail.EXPIRED('This upload session has expired; begin the upload again', {
        details: { field: 'sessionId' },
      });
    }
    const claimedAt = upload.claimed_at;
    if (
      upload.state === 'completing' &&
      claimedAt &&
      now.getTime() - claimedAt.getTime() < CLAIM_TIMEOUT_MS
    ) {
      return { kind: 'busy' };
    }
    const claimed = await repo.updateSession(
      trx,
      { id: upload.id },
      { state: 'completing', claimed_at: now, updated_at: now },
    );
    return { kind: 'claimed', upload: claimed ?? upload, file, claimedAt: now };
  });
}

/** Storage work under a renewed claim, then the verdict; on failure the claim is released so the device can retry. */
async function verifyClaimed(
  deps: UploadDeps,
  claimed: Claimed & { parts: UploadCompleteInput['parts'] },
): Promise<Outcome | null> {
  const lease = holdClaim(deps, { sessionId: claimed.upload.id, claimedAt: claimed.claimedAt });
  try {
    const inspection = await inspect(deps, claimed);
    await lease.stop();
    return await finalise(deps, { ...claimed, claimedAt: lease.claimedAt, ...inspection });
  } catch (err) {
    await lease.stop();
    await repo
      .updateSession(
        deps.db,
        { id: claimed.upload.id, fromStates: ['completing'], claimedAt: lease.claimedAt },
        { state: 'open', claimed_at: null },
      )
      .catch(() => undefined);
    const mapped = storageToFieldVault(err);
    deps.metrics.uploadsFailed.inc({
      reason: isFieldVaultError(mapped) ? mapped.code : 'INTERNAL',
    });
    throw mapped;
  }
}

type Verdict = Claimed & Inspection;

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
  const { file, upload } = v;
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
  const base = { at: v.now, sessionId: upload.id, file: row };
  const completed = { kind: upload.kind, size: v.stored.size, etag: v.stored.etag };
  await auditUploads(trx, deps, [
    { ...base, action: 'UPLOAD_COMPLETED', details: completed },
    { ...base, action: 'UPLOAD_VERIFIED', details: { sha256: v.actual } },
  ]);
  await recordFileEvents(trx, [
    { type: 'file.uploaded', file: row, at: v.now },
    { type: 'file.verified', file: row, at: v.now },
  ]);
  return row;
}

/** Second transaction: the verdict, guarded by our claim, with its audit rows; null when the claim was taken over. */
async function finalise(deps: UploadDeps, v: Verdict): Promise<Outcome | null> {
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
  if (result instanceof FieldVaultError) {
    deps.metrics.uploadsFailed.inc({ reason: result.code });
    return result;
  }
  if (result?.state === 'verified') deps.metrics.uploadsCompleted.inc();
  if (result?.state === 'mismatch') {
    deps.metrics.verificationMismatches.inc();
    deps.metrics.uploadsFailed.inc({ reason: 'HASH_MISMATCH' });
  }
  return result;
}
