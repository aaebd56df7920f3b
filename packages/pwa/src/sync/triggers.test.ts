// Triggers with injected event sources and a fake clock: start, online, visibility, timer from the run result, sync now.
import { describe, expect, it, vi } from 'vitest';
import type { SyncRunResult } from './context';
import { createFakeClock } from './testing/fake-clock';
import { silentLogger } from './testing/setup';
import { createSyncTriggers } from './triggers';

const flush = () => new Promise((r) => setTimeout(r, 0));

/** A run that ended with one capture waiting until `retryAt`. */
const waitingUntil = (retryAt: number): SyncRunResult => ({
  status: 'waiting',
  uploaded: 0,
  pending: 1,
  retryAt,
});

function harness(results: Partial<SyncRunResult>[]) {
  const clock = createFakeClock();
  const run = vi.fn((): Promise<SyncRunResult> => {
    const next = results.shift() ?? { status: 'idle' as const };
    return Promise.resolve({
      status: 'idle',
      uploaded: 0,
      pending: 0,
      retryAt: null,
      ...next,
    });
  });
  const online = new EventTarget();
  const visibility = Object.assign(new EventTarget(), { visibilityState: 'hidden' });
  const triggers = createSyncTriggers({
    engine: { run },
    clock,
    random: () => 0.5,
    online,
    visibility,
    logger: silentLogger,
  });
  return { clock, run, online, visibility, triggers };
}

describe('sync triggers', () => {
  it('syncs on start, on online, and when the app becomes visible (not when hidden)', async () => {
    const { run, online, visibility, triggers } = harness([]);
    triggers.start();
    await flush();
    expect(run).toHaveBeenCalledTimes(1);
    online.dispatchEvent(new Event('online'));
    await flush();
    expect(run).toHaveBeenCalledTimes(2);
    visibility.dispatchEvent(new Event('visibilitychange'));
    await flush();
    expect(run).toHaveBeenCalledTimes(2);
    visibility.visibilityState = 'visible';
    visibility.dispatchEvent(new Event('visibilitychange'));
    await flush();
    expect(run).toHaveBeenCalledTimes(3);
    triggers.stop();
    online.dispatchEvent(new Event('online'));
    await flush();
    expect(run).toHaveBeenCalledTimes(3);
  });

  it('sets the timer to the next due capture, and runs when it fires', async () => {
    const { clock, run, triggers } = harness([{ status: 'waiting', pending: 1 }]);
    const retryAt = clock.now() + 42_000;
    run.mockImplementationOnce(() =>
      Promise.resolve({ status: 'waiting', uploaded: 0, pending: 1, retryAt }),
    );
    triggers.start();
    await flush();
    expect(clock.timers()).toEqual([retryAt]);
    clock.advance(41_999);
    await flush();
    expect(run).toHaveBeenCalledTimes(1);
    clock.advance(1);
    await flush();
    expect(run).toHaveBeenCalledTimes(2);
    expect(clock.timers()).toEqual([]);
  });

  it('a run that throws from the timer is logged and backed off, never an unhandled rejection', async () => {
    const { clock, run, triggers } = harness([]);
    const unhandled = vi.fn();
    process.on('unhandledRejection', unhandled);
    try {
      run.mockImplementationOnce(() => Promise.resolve(waitingUntil(clock.now() + 1000)));
      run.mockImplementationOnce(() => Promise.reject(new Error('IndexedDB closed')));
      triggers.start();
      await flush();
      clock.advance(1000);
      await flush();
      await flush();
      expect(run).toHaveBeenCalledTimes(2);
      expect(unhandled).not.toHaveBeenCalled();
      // The failed run counts as offline: the timer is armed again.
      expect(clock.timers()).toHaveLength(1);
    } finally {
      process.off('unhandledRejection', unhandled);
      triggers.stop();
    }
  });

  it('backs off with jitter while offline, and resets after a success', async () => {
    const offline = { status: 'offline' as const, pending: 1 };
    const { clock, triggers } = harness([offline, offline, offline, { status: 'idle' }]);
    const start = clock.now();
    triggers.start();
    const waits: number[] = [];
    for (let i = 0; i < 3; i++) {
      await flush();
      const [at = 0] = clock.timers();
      waits.push(at - clock.now());
      clock.advance(at - clock.now());
    }
    await flush();
    // random() = 0.5 over 5 s, 10 s, 20 s windows.
    expect(waits).toEqual([2500, 5000, 10_000]);
    expect(clock.timers()).toEqual([]);
    expect(clock.now() - start).toBe(17_500);
  });

  it('sets no timer when signed out or paused; "Sync now" runs at once', async () => {
    const { clock, run, triggers } = harness([
      { status: 'signed-out', pending: 3 },
      { status: 'idle' },
    ]);
    triggers.start();
    await flush();
    expect(clock.timers()).toEqual([]);
    expect(await triggers.syncNow()).toMatchObject({ status: 'idle' });
    expect(run).toHaveBeenCalledTimes(2);
  });

  it('a new trigger replaces the pending timer', async () => {
    const { clock, run, triggers, online } = harness([]);
    run.mockImplementation(() => Promise.resolve(waitingUntil(clock.now() + 60_000)));
    triggers.start();
    await flush();
    online.dispatchEvent(new Event('online'));
    await flush();
    expect(clock.timers()).toHaveLength(1);
  });
});
