// Test data for the field components: capture records in any state and a SyncView whose actions are spies.
import { vi } from 'vitest';
import type { SyncView } from '../hooks/use-sync';

export { captureRecord } from '../../outbox/sample-records';

/** A SyncView over `captures`, every action a resolved spy. */
export function fakeSync(overrides: Partial<SyncView> = {}): SyncView {
  const captures = overrides.captures ?? [];
  return {
    captures,
    othersWaiting: [],
    thumbnails: new Map(),
    pending: captures.filter((c) => c.state !== 'done').length,
    progress: {},
    totals: null,
    syncing: false,
    lastRun: null,
    paused: false,
    signInNeeded: false,
    refresh: vi.fn(),
    syncNow: vi.fn(),
    retry: vi.fn(() => Promise.resolve()),
    discard: vi.fn(() => Promise.resolve()),
    pauseItem: vi.fn(() => Promise.resolve()),
    resumeItem: vi.fn(() => Promise.resolve()),
    pauseAll: vi.fn(),
    resumeAll: vi.fn(),
    ...overrides,
  };
}
