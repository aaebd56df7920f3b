// Byte progress per item and for the whole run, emitted as the UI's progress bars need it.
import type { CaptureRecord } from '../outbox/schema';
import type { Emitter } from './emitter';
import type { SyncEvents } from './context';

/** Tracks bytes of the items of the current pass. */
export interface ProgressTracker {
  /** A new pass over `items` starts: totals are their sizes. */
  start(items: readonly CaptureRecord[]): void;
  /** An attempt of this item starts over from zero bytes. */
  reset(captureId: string): void;
  add(captureId: string, bytes: number): void;
}

/** Creates a tracker emitting `item-progress` and `progress`. */
export function createProgressTracker(events: Emitter<SyncEvents>): ProgressTracker {
  const items = new Map<string, { done: number; total: number }>();
  const emitTotals = () => {
    let bytesDone = 0;
    let bytesTotal = 0;
    for (const item of items.values()) {
      bytesDone += item.done;
      bytesTotal += item.total;
    }
    events.emit('progress', { bytesDone, bytesTotal, items: items.size });
  };
  const set = (captureId: string, done: number) => {
    const item = items.get(captureId);
    if (!item) return;
    item.done = Math.min(item.total, done);
    events.emit('item-progress', { captureId, bytesDone: item.done, bytesTotal: item.total });
    emitTotals();
  };
  return {
    start(list) {
      items.clear();
      for (const c of list) items.set(c.captureId, { done: 0, total: c.size });
      emitTotals();
    },
    reset: (captureId) => set(captureId, 0),
    add: (captureId, bytes) => set(captureId, (items.get(captureId)?.done ?? 0) + bytes),
  };
}
