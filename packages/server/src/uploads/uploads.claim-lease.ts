// Keeps a `complete` claim alive while its holder works, so a crashed holder's claim lapses in seconds, not minutes.
import * as repo from './uploads.repository.js';
import { CLAIM_RENEW_MS, type UploadDeps } from './uploads.service.js';

/** A held claim: its current `claimed_at` (the guard the verdict must match), and whether it was lost. */
export interface ClaimLease {
  readonly claimedAt: Date;
  readonly lost: boolean;
  /** Stops renewing and waits for a renewal in flight, so `claimedAt` is final. */
  stop: () => Promise<void>;
}

/**
 * Renew the claim's `claimed_at` every {@link CLAIM_RENEW_MS} while the holder completes and hashes
 * the stored bytes (minutes for a large object). Each renewal is guarded by the previous value: a
 * claim taken over after a stall is never renewed back. A failed renewal is not fatal — the verdict's
 * own guard decides — so it is only remembered.
 */
export function holdClaim(
  deps: Pick<UploadDeps, 'db' | 'clock'>,
  claim: { sessionId: string; claimedAt: Date; everyMs?: number },
): ClaimLease {
  let claimedAt = claim.claimedAt;
  let lost = false;
  let stopped = false;
  let inFlight: Promise<void> = Promise.resolve();
  const renew = async () => {
    if (stopped || lost) return;
    const next = deps.clock();
    const row = await repo.updateSession(
      deps.db,
      { id: claim.sessionId, fromStates: ['completing'], claimedAt },
      { claimed_at: next },
    );
    if (row) claimedAt = next;
    else lost = true;
  };
  const timer = setInterval(() => {
    inFlight = inFlight.then(renew).catch(() => undefined);
  }, claim.everyMs ?? CLAIM_RENEW_MS);
  timer.unref();
  return {
    get claimedAt() {
      return claimedAt;
    },
    get lost() {
      return lost;
    },
    stop: async () => {
      stopped = true;
      clearInterval(timer);
      await inFlight;
    },
  };
}
