// `uploads.complete`: claim the session, finish and verify the stored bytes outside any transaction, then record the verdict.
import { createHash } from 'node:crypto';
import { getObjectType, retentionUntil } from '@fieldvault/shared/catalog';
import { fail, isFieldVaultError } from '@fieldvault/shared/errors';
import { quarantineKey } from '@fieldvault/shared/keys';
import type { UploadCompleteInput, UploadCompleteOutput } from '@fieldvault/shared/schemas';
import type { FileRow, UploadSessionRow } from '../db/schema.js';
import { toFileRecord } from '../files/file-record.js';
import { isStorageError } from '../storage/errors.js';
import type { ObjectInfo, ObjectStore } from '../storage/object-store.js';
import * as repo from './uploads.repository.js';
import { auditUpload, sessionForCaller, type UploadDeps } from './uploads.service.js';

/** A claim older than this belongs to a crashed or stuck completer and may be taken over. */
export const CLAIM_TIMEOUT_MS = 5 * 60_000;
/** How long a concurrent `complete` waits for the claimer's verdict before asking the device to retry. */
const WAIT_FOR_CLAIM_MS = 25_000;
const POLL_MS = 50;

type Claimed = { upload: UploadSessionRow; file: FileRow; claimedAt: Date };
type ClaimStep =
  | { kind: 'done'; result: UploadCompleteOutput }
  | { kind: 'busy' }
  | ({ kind: 'claimed' } & Claimed);

/**
 * Finish an upload and verify it. Exactly one caller claims the session (`open` → `completing`, row
 * locked in a short transaction); it completes the multipart upload and hashes the stored bytes with
 * no transaction open, then records the verdict in a second transaction guarded by its claim.
 * Concurrent callers wait for that verdict and return the same answer; a claim whose holder crashed
 * is taken over after {@link CLAIM_TIMEOUT_MS}.
 */
export async function completeUpload(
  deps: UploadDeps,
  input: UploadCompleteInput,
): Promise<UploadCompleteOutput> {
  const deadline = Date.now() + WAIT_FOR_CLAIM_MS;
  for (;;) {
    const step = await claim(deps, input.sessionId);
    if (step.kind === 'done') return step.result;
    if (step.kind === 'claimed') {
      const result = await verifyClaimed(deps, { ...step, parts: input.parts });
      if (result) return result;
    } else if (Date.now() > deadline) {
      throw fail.CONFLICT('This upload is still being completed; try again shortly', {
        details: { field: 'sessionId', state: 'completing' },
      });
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/** The answer for a completed session (idempotent repeats read it from the rows). */
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

/** Short transaction: lock the session row and claim it, or report the verdict / that someone else holds it. */
function claim(deps: UploadDeps, sessionId: string): Promise<ClaimStep> {
  return deps.db.transaction().execute(async (trx): Promise<ClaimStep> => {
    const { upload, file } = await sessionForCaller(trx, deps, { sessionId, lock: true });
    const now = deps.clock();
    if (upload.state === 'completed') return { kind: 'done', result: resultOf(upload, file) };
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

/** Storage work under a claim, then the verdict; on failure the claim is released so the device can retry. */
async function verifyClaimed(
  deps: UploadDeps,
  claimed: Claimed & { parts: UploadCompleteInput['parts'] },
): Promise<UploadCompleteOutput | null> {
  try {
    const stored = await assemble(deps.store, claimed);
    const actual = stored.sha256 ?? (await hashObject(deps.store, claimed.file.key));
    const matches = actual === claimed.file.sha256 && stored.size === claimed.file.size;
    const movedTo = matches ? null : await quarantine(deps.store, claimed);
    return await finalise(deps, { ...claimed, actual, movedTo, stored });
  } catch (err) {
    await repo
      .updateSession(
        deps.db,
        { id: claimed.upload.id, fromStates: ['completing'], claimedAt: claimed.claimedAt },
        { state: 'open', claimed_at: null },
      )
      .catch(() => undefined);
    throw storageToFieldVault(err);
  }
}

/** Map storage failures the device can act on to shared codes; others stay unexpected. */
function storageToFieldVault(err: unknown): unknown {
  if (isFieldVaultError(err)) return err;
  if (isStorageError(err, 'invalid_part')) {
    return fail.BAD_INPUT(`parts: ${err.message}`, { details: { field: 'parts' }, cause: err });
  }
  if (isStorageError(err, 'object_exists')) {
    return fail.CONFLICT('An object already exists at this key; it is never overwritten', {
      cause: err,
    });
  }
  if (isStorageError(err, 'unavailable'))
    return fail.STORAGE_UNAVAILABLE(undefined, { cause: err });
  return err;
}

/**
 * The stored object: a single PUT must have landed; a multipart upload is completed here (never by
 * the client) with the device's parts or, when it sent none, every part storage holds. An object
 * already at the key is refused, unless our own storage upload is gone — then a crashed claimer
 * completed it and we verify what it left.
 */
async function assemble(
  store: ObjectStore,
  claimed: Claimed & { parts: UploadCompleteInput['parts'] },
): Promise<ObjectInfo> {
  const { upload, file } = claimed;
  const existing = await store.head(file.key);
  if (upload.kind === 'single' || !upload.storage_upload_id) {
    if (existing) return existing;
    throw fail.CONFLICT(
      'Nothing has been uploaded for this session yet; PUT the bytes, then complete',
      {
        details: { field: 'sessionId', reason: 'NOT_UPLOADED' },
      },
    );
  }
  const uploadId = upload.storage_upload_id;
  const held = await store.listParts(file.key, uploadId).catch((err: unknown) => {
    if (isStorageError(err, 'not_found')) return null;
    throw err;
  });
  if (existing && held === null) return existing;
  if (existing || held === null) {
    throw fail.CONFLICT('An object already exists at this key; it is never overwritten', {
      details: { field: 'sessionId' },
    });
  }
  const parts = claimed.parts ?? held.map(({ partNumber, etag }) => ({ partNumber, etag }));
  if (parts.length !== upload.parts_count || parts.some((p, i) => p.partNumber !== i + 1)) {
    const have = parts.map((p) => p.partNumber).join(', ') || 'none';
    throw fail.BAD_INPUT(`parts: this upload has parts 1..${upload.parts_count}; got ${have}`, {
      details: { field: 'parts' },
    });
  }
  return store.completeMultipart(file.key, uploadId, parts);
}

/** SHA-256 of a stored object, streamed in bounded memory (for backends that do not record it). */
export async function hashObject(store: ObjectStore, key: string): Promise<string> {
  const hash = createHash('sha256');
  const reader = (await store.getStream(key)).getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return hash.digest('hex');
    hash.update(value);
  }
}

/** Move mismatched bytes under `quarantine/` (copy, then delete); a key already there gets the session id. */
async function quarantine(store: ObjectStore, claimed: Claimed): Promise<string> {
  const { file, upload } = claimed;
  let target = quarantineKey(file.key);
  try {
    await store.copy(file.key, target);
  } catch (err) {
    if (!isStorageError(err, 'object_exists')) throw err;
    target = `${target}.${upload.id}`;
    if (!(await store.head(target))) await store.copy(file.key, target);
  }
  await store.delete(file.key);
  return target;
}

/** Second transaction: the verdict, its audit rows and the metrics; null when our claim was taken over. */
async function finalise(
  deps: UploadDeps,
  v: Claimed & { actual: string; movedTo: string | null; stored: ObjectInfo },
): Promise<UploadCompleteOutput | null> {
  const now = deps.clock();
  const { upload, file } = v;
  const rule = getObjectType(file.system, file.object_type);
  const result = await deps.db.transaction().execute(async (trx) => {
    const done = await repo.updateSession(
      trx,
      { id: upload.id, fromStates: ['completing'], claimedAt: v.claimedAt },
      { state: 'completed', updated_at: now, actual_sha256: v.movedTo ? v.actual : null },
    );
    if (!done) return null;
    const base = { at: now, sessionId: upload.id };
    const completed = { kind: upload.kind, size: v.stored.size, etag: v.stored.etag };
    if (v.movedTo) {
      const row = await repo.updateFile(trx, file.id, { status: 'mismatch', key: v.movedTo });
      await auditUpload(trx, deps, {
        ...base,
        action: 'UPLOAD_COMPLETED',
        file,
        details: completed,
      });
      await auditUpload(trx, deps, {
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
      });
      return resultOf(done, row);
    }
    const duplicateOf =
      file.duplicate_of ??
      (await repo.findVerifiedDuplicate(trx, {
        orgId: file.org_id,
        sha256: file.sha256,
        captureId: file.capture_id,
      }));
    const row = await repo.updateFile(trx, file.id, {
      status: 'verified',
      verified_at: now,
      duplicate_of: duplicateOf,
      retention_until: rule ? retentionUntil(rule, file.captured_at) : null,
    });
    await auditUpload(trx, deps, {
      ...base,
      action: 'UPLOAD_COMPLETED',
      file: row,
      details: completed,
    });
    await auditUpload(trx, deps, {
      ...base,
      action: 'UPLOAD_VERIFIED',
      file: row,
      details: { sha256: v.actual },
    });
    return resultOf(done, row);
  });
  if (result?.state === 'verified') deps.metrics.uploadsCompleted.inc();
  if (result?.state === 'mismatch') {
    deps.metrics.verificationMismatches.inc();
    deps.metrics.uploadsFailed.inc({ reason: 'HASH_MISMATCH' });
  }
  return result;
}
