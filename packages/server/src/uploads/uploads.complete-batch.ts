// Group commit of `uploads.complete`: claims arriving together are one statement; verified verdicts arriving together are one transaction.
import { appendAuditEventsAcrossOrgs } from '../audit/audit.writer.js';
import { lockVerifiedObject } from '../compliance/object-lock.js';
import type { Database } from '../db/database.js';
import { recordFileEvents } from '../events/events.writer.js';
import { retentionWithYears } from '../compliance/retention.service.js';
import { countVerdict, resultOf, type Outcome } from './uploads.complete-outcome.js';
import { verifiedEvents, type Claimed, type Verdict } from './uploads.complete-record.js';
import { claimOpenSessions, recordVerifiedVerdicts } from './uploads.complete.repository.js';
import { batcher } from './uploads.batcher.js';
import { uploadAuditInputs, type UploadDeps } from './uploads.service.js';

/** Claims or verdicts written by one statement or transaction at most. */
export const MAX_BATCH = 64;
/** Claim statements, and verdict transactions, one database runs at once (as for begins). */
export const MAX_IN_FLIGHT = 4;

/** A claim request waiting for its batch. */
interface ClaimRequest {
  deps: UploadDeps;
  sessionId: string;
}

const claims = batcher({ maxBatch: MAX_BATCH, maxInFlight: MAX_IN_FLIGHT }, writeClaims);

/**
 * The common case of a claim, shared with the claims arriving meanwhile: an open session the caller
 * may act on becomes theirs (`completing`), returned with its file and the retention override its
 * verdict needs. Null otherwise — done, busy, expired, aborted, a stale claim, not theirs, or the
 * shared statement failed — and the caller decides one by one, in its own transaction.
 */
export function claimInBatch(deps: UploadDeps, sessionId: string): Promise<Claimed | null> {
  return claims(deps.db, { deps, sessionId });
}

async function writeClaims(
  db: Database,
  batch: readonly ClaimRequest[],
): Promise<(Claimed | null)[]> {
  try {
    const rows = await claimOpenSessions(
      db,
      batch.map(({ deps, sessionId }) => {
        const { orgId, role, userId } = deps.session;
        // mayActOn: office and admin act on the whole org's uploads, everyone else on their own.
        const uploadedBy = role === 'office' || role === 'admin' ? null : userId;
        return { id: sessionId, orgId, uploadedBy, now: deps.clock() };
      }),
    );
    // A session asked for twice in one batch is claimed once: the first asker allowed it gets it.
    const unclaimed = [...rows];
    return batch.map(({ deps, sessionId }) => {
      const i = unclaimed.findIndex(
        (r) =>
          r.upload.id === sessionId &&
          r.upload.org_id === deps.session.orgId &&
          (deps.session.role === 'office' ||
            deps.session.role === 'admin' ||
            r.file.uploaded_by === deps.session.userId),
      );
      const [row] = i < 0 ? [] : unclaimed.splice(i, 1);
      if (!row?.upload.claimed_at) return null;
      return { ...row, claimedAt: row.upload.claimed_at };
    });
  } catch {
    return batch.map(() => null);
  }
}

/** A verified verdict waiting for its batch. */
interface VerdictRequest {
  deps: UploadDeps;
  verdict: Verdict & { retentionYears: number | null };
}

/** What a verdict batch did for one request: recorded (null: its claim was taken over), or not written. */
export type BatchedVerdict = { written: true; outcome: Outcome | null } | { written: false };

const verdicts = batcher({ maxBatch: MAX_BATCH, maxInFlight: MAX_IN_FLIGHT }, writeVerdicts);

/**
 * Record a verified verdict (the bytes matched) in a transaction shared with the verdicts arriving
 * meanwhile: one statement moves every session to `completed` and its file to `verified`, one chain
 * append per org writes their UPLOAD_COMPLETED and UPLOAD_VERIFIED, one insert per org their file
 * events. Each verdict keeps its own claim guard. `written: false` — never a rejection — when the
 * shared transaction failed; the caller then records this verdict alone, so one bad verdict (say,
 * storage refusing its Object Lock) never fails the others.
 */
export function verdictInBatch(
  deps: UploadDeps,
  verdict: Verdict & { retentionYears: number | null },
): Promise<BatchedVerdict> {
  return verdicts(deps.db, { deps, verdict });
}

async function writeVerdicts(
  db: Database,
  batch: readonly VerdictRequest[],
): Promise<BatchedVerdict[]> {
  const timed = batch.map((r) => ({ ...r, now: r.deps.clock() }));
  try {
    const outcomes = await db.transaction().execute(async (trx) => {
      const rows = await recordVerifiedVerdicts(
        trx,
        timed.map(({ verdict: v, now }) => ({
          sessionId: v.upload.id,
          claimedAt: v.claimedAt,
          now,
          retentionUntil: retentionWithYears(v.file, v.retentionYears),
        })),
      );
      const claim = (id: string, at: Date) => `${id} ${at.getTime()}`;
      const byClaim = new Map(rows.map((r) => [claim(r.session_id, r.session_claimed_at), r]));
      const written = timed.flatMap((r, i) => {
        const row = byClaim.get(claim(r.verdict.upload.id, r.verdict.claimedAt));
        if (!row) return [];
        const { session_id: _s, session_claimed_at: _c, ...file } = row;
        return [{ ...r, i, file, ...verifiedEvents({ ...r.verdict, now: r.now }, file) }];
      });
      // With Object Lock on, the bucket holds the bytes until then too; if storage refuses, nothing commits.
      await Promise.all(
        written.map(({ deps, file, now }) =>
          lockVerifiedObject(deps.store, { key: file.key, until: file.retention_until, now }),
        ),
      );
      await appendAuditEventsAcrossOrgs(
        trx,
        written.flatMap(({ deps, audit }) => uploadAuditInputs(deps, audit)),
      );
      await recordFileEvents(
        trx,
        written.flatMap(({ events }) => events),
      );
      const outcomes: (Outcome | null)[] = timed.map(() => null);
      for (const w of written) outcomes[w.i] = resultOf({ actual_sha256: null }, w.file);
      return outcomes;
    });
    return batch.map(({ deps }, i) => {
      const outcome = outcomes[i] ?? null;
      countVerdict(deps.metrics, outcome);
      return { written: true, outcome };
    });
  } catch {
    return batch.map(() => ({ written: false }));
  }
}
