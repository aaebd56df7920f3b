// Deadlines for network calls: a request that never answers (half-open connection, stalled proxy) must not hold the sync lock forever.

/** A signal that aborts at the deadline or when the caller's signal aborts, and which of the two it was. */
export interface Deadline {
  signal: AbortSignal;
  /** True when the deadline passed (not when the caller cancelled). */
  expired(): boolean;
}

/** How long a tRPC call may take; generous because `complete` hashes the stored bytes on the server. */
export const CALL_DEADLINE_MS = 120_000;

/** The slowest upload rate a PUT may crawl at before it counts as stalled: 64 KiB/s (weak 3G). */
const MIN_PUT_BYTES_PER_SECOND = 64 * 1024;

/** A PUT's deadline: 30 s to connect and answer, plus the body at {@link MIN_PUT_BYTES_PER_SECOND}. */
export function putDeadlineMs(bytes: number): number {
  return 30_000 + Math.ceil((bytes / MIN_PUT_BYTES_PER_SECOND) * 1000);
}

/** Starts a deadline of `ms` joined with the caller's `signal` (if any). */
export function withDeadline(ms: number, signal?: AbortSignal): Deadline {
  const timeout = AbortSignal.timeout(ms);
  return {
    signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
    expired: () => timeout.aborted && !signal?.aborted,
  };
}
