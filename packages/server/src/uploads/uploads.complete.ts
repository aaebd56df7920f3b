// `uploads.complete`: claim the session, finish and verify the stored bytes outside any transaction, then record the verdict.
import { fail, isFieldVaultError } from '@fieldvault/shared/errors';
import type { UploadCompleteInput, UploadCompleteOutput } from '@fieldvault/shared/schemas';
import * as repo from './uploads.repository.js';
import { holdClaim } from './uploads.claim-lease.js';
import { claimInBatch, verdictInBatch } from './uploads.complete-batch.js';
import { answer, outcomeOf, type Outcome } from './uploads.complete-outcome.js';
import { finalise, type Claimed, type Verdict } from './uploads.complete-record.js';
import { inspect } from './uploads.verify.js';
import {
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

type ClaimStep =
  { kind: 'done'; result: Outcome } | { kind: 'busy' } | ({ kind: 'claimed' } & Claimed);

/**
 * Finish an upload and verify it. Exactly one caller claims the session (`open` → `completing`, in
 * one statement shared with the claims arriving meanwhile, or in a short transaction of its own); it
 * completes the multipart upload and hashes the stored bytes with no transaction open, then records
 * the verdict in a second transaction guarded by its claim (shared with other verified verdicts).
 * Concurrent callers wait for that verdict and return the same answer; a claim whose holder crashed
 * is taken over once it has gone {@link CLAIM_TIMEOUT_MS} without renewal.
 */
export async function completeUpload(
  deps: UploadDeps,
  input: UploadCompleteInput,
): Promise<UploadCompleteOutput> {
  const deadline = Date.now() + WAIT_FOR_CLAIM_MS;
  for (let attempt = 0; ; attempt++) {
    const open = await claimInBatch(deps, input.sessionId);
    const step: ClaimStep = open
      ? { kind: 'claimed', ...open }
      : await claim(deps, input.sessionId);
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
    return await record(deps, { ...claimed, claimedAt: lease.claimedAt, ...inspection });
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

/**
 * Record the verdict: a match whose claim read its retention override goes in a transaction shared
 * with the verified verdicts arriving meanwhile, and alone should that transaction fail; a mismatch,
 * a type refusal or a taken-over claim's verdict in a transaction of its own.
 */
async function record(deps: UploadDeps, v: Verdict): Promise<Outcome | null> {
  const { retentionYears } = v;
  if (v.movedTo === null && retentionYears !== undefined) {
    const batched = await verdictInBatch(deps, { ...v, retentionYears });
    if (batched.written) return batched.outcome;
  }
  return finalise(deps, v);
}
