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

/** A PUT's deadline among others on the same uplink; `done` once its answer is in. */
export interface SharedDeadline extends Deadline {
  /** The deadline as it stands now, in ms from the PUT's start. */
  ms(): number;
  done(): void;
}

/**
 * Deadlines for PUTs that share one uplink. Each PUT may take `deadlineMs` of its bytes times the
 * most PUTs that were in flight with it (itself included), so six PUTs crawling over a slow link,
 * each at a sixth of it, are not all cut off as stalled and retried forever. A deadline only grows.
 */
export function createSharedDeadlines(deadlineMs: (bytes: number) => number = putDeadlineMs) {
  interface Shared {
    bytes: number;
    sharers: number;
    started: number;
    timer: ReturnType<typeof setTimeout> | undefined;
    controller: AbortController;
  }
  const active = new Set<Shared>();
  const arm = (s: Shared): void => {
    clearTimeout(s.timer);
    const left = deadlineMs(s.bytes * s.sharers) - (Date.now() - s.started);
    const expire = () =>
      s.controller.abort(new DOMException('PUT deadline passed', 'TimeoutError'));
    s.timer = setTimeout(expire, Math.max(0, left));
  };
  return (bytes: number, signal?: AbortSignal): SharedDeadline => {
    const s: Shared = {
      bytes,
      sharers: 0,
      started: Date.now(),
      timer: undefined,
      controller: new AbortController(),
    };
    active.add(s);
    for (const other of active) {
      if (other.sharers < active.size) {
        other.sharers = active.size;
        arm(other);
      }
    }
    return {
      signal: signal ? AbortSignal.any([signal, s.controller.signal]) : s.controller.signal,
      expired: () => s.controller.signal.aborted && !signal?.aborted,
      ms: () => deadlineMs(s.bytes * s.sharers),
      done: () => {
        clearTimeout(s.timer);
        active.delete(s);
      },
    };
  };
}

/** Starts a deadline of `ms` joined with the caller's `signal` (if any). */
export function withDeadline(ms: number, signal?: AbortSignal): Deadline {
  const timeout = AbortSignal.timeout(ms);
  return {
    signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
    expired: () => timeout.aborted && !signal?.aborted,
  };
}
