// Retry delays: exponential backoff with full jitter, capped (AWS Architecture Blog, "Exponential Backoff And Jitter").

/** Backoff settings. */
export interface BackoffOptions {
  /** Delay scale of the first retry, ms. */
  baseMs: number;
  /** Ceiling of any one delay, ms. */
  capMs: number;
}

/** Defaults: 1 s, doubling, never more than 5 minutes between tries of one item. */
export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 1_000, capMs: 5 * 60_000 };

/**
 * Delay before retry number `attempt` (1 = first retry): uniform in `[0, min(cap, base·2^(attempt-1)))`.
 * Full jitter spreads a fleet of phones coming back online at once. `random` returns [0, 1).
 */
export function backoffDelay(
  attempt: number,
  random: () => number,
  options: BackoffOptions = DEFAULT_BACKOFF,
): number {
  const exp = Math.min(options.capMs, options.baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.floor(random() * exp);
}
