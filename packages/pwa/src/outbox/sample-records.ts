// Sample capture records as the outbox holds them, for tests and benches (no test framework here).
import type { CaptureRecord } from './schema';

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
