// The invariant checker fails on each kind of violation it exists to catch (a checker that cannot fail proves nothing).
import { describe, expect, it } from 'vitest';
import {
  checkInvariants,
  ZERO_COUNTS,
  type DeviceCapture,
  type FileRow,
  type InvariantCounts,
  type Snapshot,
} from './checker';

const SHA = 'a'.repeat(64);
const OTHER = 'b'.repeat(64);

const capture = (over: Partial<DeviceCapture> = {}): DeviceCapture => ({
  captureId: 'c1',
  size: 10,
  sha256: SHA,
  state: 'done',
  errorCode: null,
  error: null,
  bytesSha256: null,
  ...over,
});
const row = (over: Partial<FileRow> = {}): FileRow => ({
  captureId: 'c1',
  status: 'verified',
  sha256: SHA,
  size: 10,
  storedSha256: SHA,
  ...over,
});
const snap = (over: Partial<Snapshot>): Snapshot => ({
  captures: [capture()],
  files: [row()],
  events: [],
  ingestedEventIds: new Set(),
  ...over,
});

describe('checkInvariants', () => {
  it('a capture verified once with the device hash and its object is clean', () => {
    expect(checkInvariants(snap({}))).toEqual(ZERO_COUNTS);
  });

  const cases: [string, Partial<Snapshot>, keyof InvariantCounts][] = [
    ['no record', { files: [] }, 'lost'],
    ['record not verified', { files: [row({ status: 'pending' })] }, 'lost'],
    ['object deleted', { files: [row({ storedSha256: null })] }, 'lost'],
    ['stored bytes differ', { files: [row({ storedSha256: OTHER })] }, 'corrupted'],
    ['record hash differs', { files: [row({ sha256: OTHER })] }, 'corrupted'],
    ['record size differs', { files: [row({ size: 11 })] }, 'corrupted'],
  ];
  it.each(cases)('a done capture with %s counts as %s', (_what, over, kind) => {
    expect(checkInvariants(snap(over))).toEqual({ ...ZERO_COUNTS, [kind]: 1 });
  });

  it('two records of one captureId count as duplicated', () => {
    expect(checkInvariants(snap({ files: [row(), row()] })).duplicated).toBe(1);
  });

  it('a queued capture with its bytes is stuck; without them it is lost too', () => {
    const queued = capture({ state: 'queued', bytesSha256: SHA });
    expect(checkInvariants(snap({ captures: [queued], files: [] }))).toEqual({
      ...ZERO_COUNTS,
      stuck: 1,
    });
    const gone = capture({ state: 'queued', bytesSha256: null });
    expect(checkInvariants(snap({ captures: [gone], files: [] }))).toEqual({
      ...ZERO_COUNTS,
      stuck: 1,
      lost: 1,
    });
  });

  it('a 0-byte capture must end needing attention with no record', () => {
    const empty = capture({ size: 0, state: 'needs-attention', errorCode: 'BAD_INPUT' });
    expect(checkInvariants(snap({ captures: [empty], files: [] }))).toEqual(ZERO_COUNTS);
    expect(checkInvariants(snap({ captures: [empty], files: [row({ size: 0 })] })).badRefusal).toBe(
      1,
    );
    const queued = capture({ size: 0, state: 'queued' });
    expect(checkInvariants(snap({ captures: [queued], files: [] })).badRefusal).toBe(1);
  });

  it('events: pushed but not ingested is lost; unpushed after the capture finished is stuck', () => {
    const events = [
      { id: 'e1', pushed: true, captureDone: true },
      { id: 'e2', pushed: false, captureDone: true },
      { id: 'e3', pushed: false, captureDone: false },
    ];
    expect(checkInvariants(snap({ events, ingestedEventIds: new Set(['e9']) }))).toEqual({
      ...ZERO_COUNTS,
      eventsLost: 1,
      eventsStuck: 1,
    });
  });
});
