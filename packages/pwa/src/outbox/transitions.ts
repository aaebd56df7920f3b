// Which capture state may follow which: the outbox refuses anything else, so a bug cannot skip verification.
import type { CaptureState } from './schema';

/**
 * Allowed moves. `uploading → uploading` and `verifying → uploading` are how the engine re-claims an item a
 * crashed run left behind (or re-uploads after a mismatch); `done` is final.
 */
const NEXT: Readonly<Record<CaptureState, readonly CaptureState[]>> = {
  queued: ['uploading', 'needs-attention'],
  failed: ['uploading', 'queued', 'needs-attention'],
  uploading: ['uploading', 'verifying', 'done', 'failed', 'queued', 'needs-attention'],
  verifying: ['uploading', 'done', 'failed', 'queued', 'needs-attention'],
  'needs-attention': ['queued'],
  done: [],
};

/** Thrown when code asks for a move the state machine does not allow. */
export class InvalidTransitionError extends Error {
  override readonly name = 'InvalidTransitionError';
  constructor(
    readonly from: CaptureState,
    readonly to: CaptureState,
  ) {
    super(`outbox: a capture cannot go from ${from} to ${to}`);
  }
}

/** True when a capture in state `from` may move to `to`. */
export function canTransition(from: CaptureState, to: CaptureState): boolean {
  return NEXT[from].includes(to);
}

/** Throws {@link InvalidTransitionError} unless `from → to` is allowed. */
export function assertTransition(from: CaptureState, to: CaptureState): void {
  if (!canTransition(from, to)) throw new InvalidTransitionError(from, to);
}
