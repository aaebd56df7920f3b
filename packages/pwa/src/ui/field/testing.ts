// Test data for the field components: capture records in any state and a SyncView whose actions are spies.
import { vi } from 'vitest';
import type { CaptureRecord } from '../../outbox/schema';
import type { SyncView } from '../hooks/use-sync';

let counter = 0;

/** A capture record as the outbox holds it; `overrides` set the state, error and so on. */
export function captureRecord(overrides: Partial<CaptureRecord> = {}): CaptureRecord {
  counter++;
  return {
    captureId: `0190f1a2-0000-7000-8000-${String(counter).padStart(12, '0')}`,
    target: {
      system: 'accounting',
      objectType: 'receipt',
      objectId: 'EXP-42',
      capturedAt: '2026-11-23T12:00:00.000Z',
    },
    filename: `receipt-${counter}.jpg`,
    contentType: 'image/jpeg',
    size: 2_000_000,
    sha256: 'ab'.repeat(32),
    md5: 'AAAAAAAAAAAAAAAAAAAAAA==',
    state: 'queued',
    attempts: 0,
    mismatchCount: 0,
    nextAttemptAt: 0,
    paused: false,
    lastError: null,
    serverFileId: null,
    blobKey: 'key',
    createdAt: counter,
    updatedAt: counter,
    ...overrides,
  };
}

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
