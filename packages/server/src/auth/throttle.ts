// Failed-login policy: a few free attempts, then delays that double, capped, and forgotten after a quiet hour. Never a lockout.

export interface ThrottlePolicy {
  /** Failures allowed before any delay. */
  free: number;
  /** Longest delay, in seconds. */
  maxDelaySeconds: number;
}

/**
 * Per account the cap is short (60 s): a stranger guessing at someone's e-mail can slow the owner
 * down by at most a minute, never lock them out. Per IP the cap is long (15 min): that is where a
 * guessing campaign actually comes from.
 */
export const ACCOUNT_POLICY: ThrottlePolicy = { free: 5, maxDelaySeconds: 60 };
export const IP_POLICY: ThrottlePolicy = { free: 20, maxDelaySeconds: 15 * 60 };
/** Counters restart when the last failure is older than this. */
export const THROTTLE_WINDOW_MS = 60 * 60 * 1000;

/** Delay in seconds after `failures` consecutive failures: 0 while free, then 1, 2, 4, … up to the cap. */
export function throttleDelaySeconds(failures: number, policy: ThrottlePolicy): number {
  const over = failures - policy.free;
  if (over <= 0) return 0;
  return Math.min(2 ** (over - 1), policy.maxDelaySeconds);
}

export const accountKey = (email: string): string => `account:${email}`;
export const ipKey = (ip: string): string => `ip:${ip}`;
