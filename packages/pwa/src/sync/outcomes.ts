// What happens to a capture after a failed attempt: reschedule with backoff, wait for sign-in or the network, or ask the user.
import type { CaptureRecord, CaptureState } from '../outbox/schema';
import { backoffDelay } from './backoff';
import type { Failure } from './classify';
import type { SyncContext } from './context';

/** Why the whole run must stop (not just this item), and when trying again makes sense. */
export interface RunStop {
  reason: 'offline' | 'signed-out' | 'throttled';
  retryAt: number | null;
}

/** The new state, schedule and counters of a capture after `failure`. */
interface Plan {
  to: CaptureState;
  attempts: number;
  mismatchCount: number;
  nextAttemptAt: number;
  code: string;
  message: string;
  stop: RunStop | null;
}

/**
 * Retry window after `IN_PROGRESS` (the server is completing this session under another request, or a
 * killed server's claim has not lapsed yet — it does within 20 s): soon, whatever the attempt count, since
 * the server's own wait (up to 30 s) already paces the calls. Jittered in [half, whole), and never
 * longer than the backoff's cap.
 */
export const IN_PROGRESS_RETRY_MS = 10_000;

function later(ctx: SyncContext, capture: CaptureRecord, extraMs: number | null = null) {
  const attempts = capture.attempts + 1;
  const delay = Math.max(backoffDelay(attempts, ctx.random, ctx.options.backoff), extraMs ?? 0);
  return { attempts, nextAttemptAt: ctx.clock.now() + delay };
}

function planFor(
  ctx: SyncContext,
  capture: CaptureRecord,
  failure: Exclude<Failure, { kind: 'cancelled' }>,
): Plan {
  const base = {
    attempts: capture.attempts,
    mismatchCount: capture.mismatchCount,
    nextAttemptAt: capture.nextAttemptAt,
    stop: null,
  };
  switch (failure.kind) {
    case 'offline':
      // Not the item's fault: no attempt counted, due again as soon as the network is back.
      return {
        ...base,
        to: 'queued',
        code: 'OFFLINE',
        message: failure.message,
        stop: { reason: 'offline', retryAt: null },
      };
    case 'auth':
      return {
        ...base,
        to: 'queued',
        code: 'UNAUTHENTICATED',
        message: 'Sign in to upload.',
        stop: { reason: 'signed-out', retryAt: null },
      };
    case 'throttled': {
      const next = later(ctx, capture, failure.retryAfterMs);
      return {
        ...base,
        ...next,
        to: 'failed',
        code: failure.code,
        message: failure.message,
        stop: { reason: 'throttled', retryAt: next.nextAttemptAt },
      };
    }
    case 'permanent':
      return { ...base, to: 'needs-attention', code: failure.code, message: failure.message };
    case 'mismatch': {
      const mismatchCount = capture.mismatchCount + 1;
      const giveUp = mismatchCount > ctx.options.maxMismatches;
      const message = giveUp
        ? `The upload arrived damaged ${mismatchCount} times; check the connection and retry.`
        : failure.message;
      // Re-upload from the local copy right away; a damaged network path gets the limit, not a backoff.
      return {
        ...base,
        mismatchCount,
        nextAttemptAt: ctx.clock.now(),
        to: giveUp ? 'needs-attention' : 'queued',
        code: 'HASH_MISMATCH',
        message,
      };
    }
    case 'retry':
      if (failure.code === 'IN_PROGRESS') {
        const window = Math.min(IN_PROGRESS_RETRY_MS, ctx.options.backoff.capMs);
        const delay = window * (0.5 + ctx.random() / 2);
        return {
          ...base,
          attempts: capture.attempts + 1,
          nextAttemptAt: ctx.clock.now() + delay,
          to: 'failed',
          code: failure.code,
          message: failure.message,
        };
      }
      return {
        ...base,
        ...later(ctx, capture),
        to: 'failed',
        code: failure.code,
        message: failure.message,
      };
    case 'session-lost':
    case 'url-expired':
    case 'already-stored':
      return {
        ...base,
        ...later(ctx, capture),
        to: 'failed',
        code: failure.kind.toUpperCase().replace('-', '_'),
        message: failure.message,
      };
  }
}

/**
 * Records a failed attempt on the capture (state, reason, next time, a `sync_failed` device event for
 * real failures) and tells the engine whether the whole run must stop. A cancelled attempt (pause,
 * discard) only returns the item to `queued`, if it still exists.
 */
export async function applyFailure(
  ctx: SyncContext,
  capture: CaptureRecord,
  failure: Failure,
): Promise<RunStop | null> {
  const { captureId } = capture;
  const now = ctx.clock.now();
  if (failure.kind === 'cancelled') {
    await ctx.store.transitionCapture({ captureId, to: 'queued', now }).catch(() => undefined);
    return null;
  }
  const plan = planFor(ctx, capture, failure);
  // A lost session, or one that ended in a mismatch, is over: the next attempt begins afresh. (A session
  // row left after a mismatch would look like one whose verdict was lost, and be counted twice.)
  if (failure.kind === 'session-lost' || failure.kind === 'mismatch')
    await ctx.store.deleteUpload(captureId);
  const error = { code: plan.code, message: plan.message };
  const patch = {
    attempts: plan.attempts,
    mismatchCount: plan.mismatchCount,
    nextAttemptAt: plan.nextAttemptAt,
  };
  await ctx.store.recordFailure({ captureId, to: plan.to, now, error, patch });
  ctx.events.emit('item-state', { captureId, state: plan.to, error });
  if (!plan.stop) {
    const details = { code: plan.code, attempts: plan.attempts };
    await ctx.store.addDeviceEvent({
      id: ctx.newId(),
      kind: 'sync_failed',
      captureId,
      deviceLabel: ctx.deviceLabel,
      now,
      sha256: capture.sha256,
      details,
    });
  }
  return plan.stop;
}
