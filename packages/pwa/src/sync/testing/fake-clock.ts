// A hand-driven clock for sync tests: time moves only when the test advances it.
import type { Clock } from '../clock';

/** A {@link Clock} plus controls. */
export interface FakeClock extends Clock {
  advance(ms: number): void;
  /** Times (epoch ms) at which sleepers wake. */
  timers(): number[];
}

/** Creates a fake clock starting at `start` epoch ms. */
export function createFakeClock(start = Date.UTC(2026, 10, 23, 12)): FakeClock {
  let now = start;
  let timers: { at: number; resolve: () => void }[] = [];
  return {
    now: () => now,
    sleep(ms, signal) {
      return new Promise<void>((resolve, reject) => {
        if (signal?.aborted) return reject(signal.reason as Error);
        const timer = { at: now + ms, resolve };
        timers.push(timer);
        signal?.addEventListener('abort', () => {
          timers = timers.filter((t) => t !== timer);
          reject(signal.reason as Error);
        });
      });
    },
    advance(ms) {
      now += ms;
      const due = timers.filter((t) => t.at <= now);
      timers = timers.filter((t) => t.at > now);
      for (const t of due.sort((a, b) => a.at - b.at)) t.resolve();
    },
    timers: () => timers.map((t) => t.at).sort((a, b) => a - b),
  };
}
