// When the page syncs: on start, when the network returns, when the app becomes visible, on a backoff timer, and on "Sync now".
import { createLogger, type Logger } from '../log/logger';
import { backoffDelay, type BackoffOptions } from './backoff';
import type { Clock } from './clock';
import type { SyncRunResult } from './context';

/** Something that fires `online` (the window). */
export interface OnlineSource {
  addEventListener(type: 'online', listener: () => void): void;
  removeEventListener(type: 'online', listener: () => void): void;
}

/** Something that fires `visibilitychange` and knows whether it is visible (the document). */
export interface VisibilitySource {
  readonly visibilityState: string;
  addEventListener(type: 'visibilitychange', listener: () => void): void;
  removeEventListener(type: 'visibilitychange', listener: () => void): void;
}

/** What the triggers need. */
export interface SyncTriggersOptions {
  engine: { run(): Promise<SyncRunResult> };
  clock: Clock;
  random: () => number;
  online?: OnlineSource;
  visibility?: VisibilitySource;
  /** Timer backoff while offline (the `online` event usually comes first). Default 5 s doubling to 5 min. */
  offlineBackoff?: BackoffOptions;
  logger?: Logger;
}

/** The triggers of one page. */
export interface SyncTriggers {
  /** Subscribes to the sources and syncs once (app start). */
  start(): void;
  /** Unsubscribes and cancels the timer. */
  stop(): void;
  /** "Sync now": runs at once (joining a running sync) and resets the offline backoff. */
  syncNow(): Promise<SyncRunResult>;
}

const OFFLINE_BACKOFF: BackoffOptions = { baseMs: 5_000, capMs: 5 * 60_000 };

/**
 * How long to wait before the timer runs the sync again after `result`: until the next due capture
 * (backoff or Retry-After), a growing jittered delay while offline, or never (idle, paused, signed out:
 * sign-in calls "Sync now").
 */
export function nextSyncDelay(
  result: SyncRunResult,
  state: {
    offlineStreak: number;
    now: number;
    random: () => number;
    offlineBackoff: BackoffOptions;
  },
): number | null {
  if (result.status === 'offline') {
    return Math.max(1, backoffDelay(state.offlineStreak, state.random, state.offlineBackoff));
  }
  if (result.status !== 'waiting' && result.status !== 'throttled') return null;
  return result.retryAt === null ? null : Math.max(0, result.retryAt - state.now);
}

/**
 * Creates the page's triggers; after each run the timer is set by {@link nextSyncDelay}. Never trusts
 * `navigator.onLine`: a failed request is what means offline.
 */
export function createSyncTriggers(options: SyncTriggersOptions): SyncTriggers {
  const log = options.logger ?? createLogger('sync-triggers');
  let timer: AbortController | null = null;
  let offlineStreak = 0;
  let started = false;

  const delayFor = (result: SyncRunResult): number | null => {
    offlineStreak = result.status === 'offline' ? offlineStreak + 1 : 0;
    return nextSyncDelay(result, {
      offlineStreak,
      now: options.clock.now(),
      random: options.random,
      offlineBackoff: options.offlineBackoff ?? OFFLINE_BACKOFF,
    });
  };

  const schedule = (delay: number | null) => {
    timer?.abort();
    timer = null;
    if (delay === null || !started) return;
    const controller = new AbortController();
    timer = controller;
    options.clock.sleep(delay, controller.signal).then(fire('timer'), () => undefined);
  };

  const trigger = async (reason: string): Promise<SyncRunResult> => {
    log.debug(`sync triggered by ${reason}`);
    try {
      const result = await options.engine.run();
      schedule(delayFor(result));
      return result;
    } catch (error) {
      log.error('sync run failed unexpectedly', error);
      schedule(delayFor({ status: 'offline', uploaded: 0, pending: 0, retryAt: null }));
      throw error;
    }
  };

  const fire = (reason: string) => () => void trigger(reason).catch(() => undefined);
  const onOnline = fire('online');
  const onVisible = () => {
    if (options.visibility?.visibilityState === 'visible')
      void trigger('visible').catch(() => undefined);
  };

  return {
    start() {
      if (started) return;
      started = true;
      options.online?.addEventListener('online', onOnline);
      options.visibility?.addEventListener('visibilitychange', onVisible);
      fire('start')();
    },
    stop() {
      started = false;
      options.online?.removeEventListener('online', onOnline);
      options.visibility?.removeEventListener('visibilitychange', onVisible);
      schedule(null);
    },
    syncNow() {
      offlineStreak = 0;
      return trigger('sync-now');
    },
  };
}
