// Ending sessions that will not complete: `abort` by the device, and the expiry job for sessions past their deadline.
import type { Database } from '../db/database.js';
import type { FileRow, UploadSessionRow } from '../db/schema.js';
import type { ObjectStore } from '../storage/object-store.js';
import * as repo from './uploads.repository.js';
import { auditUpload, CLAIM_TIMEOUT_MS, type UploadActor } from './uploads.service.js';

/** What ending a session needs. */
export interface EndSessionDeps {
  db: Database;
  store: ObjectStore;
  now: Date;
}

/**
 * Move an open session to `aborted` or `expired` (guarded in SQL: only from `open`, so a session a
 * `complete` has claimed is never ended under it), audit UPLOAD_ABORTED in the same transaction, then
 * clean storage: abort the multipart upload, or delete the unverified object of a single PUT. Storage
 * runs after the commit so the state guard decides the race; a failed cleanup throws (the stale
 * multipart upload is then left to the reconcile job). Returns false when the session was not open.
 */
export async function endSession(
  deps: EndSessionDeps,
  target: { upload: UploadSessionRow; state: 'aborted' | 'expired'; actor: UploadActor },
): Promise<boolean> {
  const { upload, state } = target;
  const file = await deps.db.transaction().execute(async (trx) => {
    // Only from the state we saw, and for a stale `completing` only while its claim is unchanged.
    const guard =
      upload.state === 'completing' && upload.claimed_at
        ? { fromStates: [upload.state], claimedAt: upload.claimed_at }
        : { fromStates: ['open' as const] };
    const ended = await repo.updateSession(
      trx,
      { id: upload.id, ...guard },
      { state, updated_at: deps.now },
    );
    if (!ended) return null;
    const row = await repo.findFile(trx, { orgId: upload.org_id, id: upload.file_id });
    if (!row) return null;
    await auditUpload(trx, target.actor, {
      action: 'UPLOAD_ABORTED',
      at: deps.now,
      file: row,
      sessionId: upload.id,
      details: { reason: state, kind: upload.kind },
    });
    return row;
  });
  if (!file) return false;
  await cleanStorage(deps, { upload, file });
  return true;
}

/** Remove what an ended session left in storage (idempotent). */
async function cleanStorage(
  deps: { db: Database; store: ObjectStore },
  target: { upload: UploadSessionRow; file: FileRow },
): Promise<void> {
  const { upload, file } = target;
  if (upload.storage_upload_id) await deps.store.abortMultipart(file.key, upload.storage_upload_id);
  if (file.status !== 'pending') return;
  // Bytes at the key of a never-verified capture (a PUT that was not completed, or a multipart a
  // crashed completer finished) are unverified: drop them so a new session can write the key again.
  // Under the file's row lock, which opening a session takes too, and only while no newer session
  // owns the key: its bytes (verified by now, perhaps) are not this session's to delete.
  await deps.db.transaction().execute(async (trx) => {
    const now = await repo.lockFile(trx, file.id);
    if (now?.status !== 'pending') return;
    if (await repo.hasOtherLiveSession(trx, { fileId: file.id, sessionId: upload.id })) return;
    await deps.store.delete(file.key);
  });
}

/** Expire one open session past its deadline (the system is the actor). */
export function expireSession(deps: EndSessionDeps, upload: UploadSessionRow): Promise<boolean> {
  return endSession(deps, {
    upload,
    state: 'expired',
    actor: { system: 'upload-expiry', orgId: upload.org_id },
  });
}

/**
 * Expire every session past its deadline that nobody is finishing (open, or `completing` with a
 * claim older than the claim timeout), all orgs, in batches: each is marked
 * `expired` with its UPLOAD_ABORTED audit row and its multipart upload aborted in storage. A failure
 * on one session does not stop the others. A later issue runs this on a schedule.
 */
export async function expireStaleUploads(
  deps: EndSessionDeps & { batchSize?: number },
): Promise<{ expired: number; failed: number }> {
  const result = { expired: 0, failed: 0 };
  const failedIds = new Set<string>();
  for (;;) {
    const batch = (
      await repo.listExpiredSessions(deps.db, {
        now: deps.now,
        staleClaimBefore: new Date(deps.now.getTime() - CLAIM_TIMEOUT_MS),
        limit: deps.batchSize ?? 100,
      })
    ).filter((s) => !failedIds.has(s.id));
    if (batch.length === 0) return result;
    for (const upload of batch) {
      try {
        if (await expireSession(deps, upload)) result.expired++;
      } catch {
        // The session is already `expired` when only storage cleanup failed; counted, never retried here.
        failedIds.add(upload.id);
        result.failed++;
      }
    }
  }
}
