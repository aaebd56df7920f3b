// Device audit events (captured, edited, discarded, sync attempts): recorded offline, pushed to the server later.
import type { DeviceEvent, DeviceEventKind } from '@fieldvault/shared/schemas';
import type { OutboxDb } from './db';
import type { DeviceEventRecord } from './schema';
import { runAlone, writeOp } from './write-batch';

/** What a caller knows about a new event; the record adds `at` and `pushed`. */
export interface NewDeviceEvent {
  id: string;
  kind: DeviceEventKind;
  captureId: string;
  deviceLabel: string;
  /** Epoch ms on the device clock. */
  now: number;
  sha256?: string;
  details?: DeviceEventRecord['details'];
}

/** Builds the stored record of a new, not yet pushed event. */
export function deviceEventRecord(event: NewDeviceEvent): DeviceEventRecord {
  const { now, sha256, details, ...rest } = event;
  return {
    ...rest,
    ...(sha256 === undefined ? {} : { sha256 }),
    ...(details === undefined ? {} : { details }),
    capturedAt: new Date(now).toISOString(),
    at: now,
    pushed: 0,
  };
}

/** The wire form (`device.pushEvents`) of a stored event. */
export function toWireEvent(record: DeviceEventRecord): DeviceEvent {
  const { at: _at, pushed: _pushed, ...wire } = record;
  return wire;
}

/** {@link addDeviceEvent} as an operation that can share a transaction. */
export const ADD_DEVICE_EVENT = writeOp({
  stores: ['events'],
  keyOf: (event: NewDeviceEvent) => event.id,
  run: async (tx, event: NewDeviceEvent) => {
    const record = deviceEventRecord(event);
    await tx.objectStore('events').add(record);
    return record;
  },
});

/** Stores one event on its own (sync attempts; capture-time events go in the capture's own transaction). */
export function addDeviceEvent(db: OutboxDb, event: NewDeviceEvent): Promise<DeviceEventRecord> {
  return runAlone(db, ADD_DEVICE_EVENT, event);
}

/** Where a page of unpushed events ended: its last event's time and id (the index's order within one ms). */
export interface EventsAfter {
  at: number;
  id: string;
}

/**
 * Events not pushed yet, oldest first, at most `limit`; with `after`, only those that come after that
 * event in the index's order (time, then id), so a caller can page past events it must leave waiting.
 * Records of the same ms come back in id order, so the page asks for the ones it has already seen at
 * `after.at` too and drops them.
 */
export async function listUnpushedEvents(
  db: OutboxDb,
  limit = 500,
  after?: EventsAfter,
): Promise<DeviceEventRecord[]> {
  if (!after) {
    const range = IDBKeyRange.bound([0, -Infinity], [0, Infinity]);
    return db.getAllFromIndex('events', 'by-pushed-at', range, limit);
  }
  const sameMs = IDBKeyRange.only([0, after.at]);
  const seen = (await db.getAllKeysFromIndex('events', 'by-pushed-at', sameMs)).filter(
    (id) => id <= after.id,
  ).length;
  const range = IDBKeyRange.bound([0, after.at], [0, Infinity]);
  const page = await db.getAllFromIndex('events', 'by-pushed-at', range, limit + seen);
  return page.filter((e) => e.at > after.at || e.id > after.id).slice(0, limit);
}

/** Every event of one capture, oldest first. */
export async function listCaptureEvents(
  db: OutboxDb,
  captureId: string,
): Promise<DeviceEventRecord[]> {
  const events = await db.getAllFromIndex('events', 'by-capture', captureId);
  return events.sort((a, b) => a.at - b.at);
}

/** Marks events as accepted by the server (re-sending is harmless, so a crash before this only repeats a push). */
export async function markEventsPushed(db: OutboxDb, ids: readonly string[]): Promise<void> {
  const tx = db.transaction('events', 'readwrite');
  const marks = ids.map(async (id) => {
    const record = await tx.store.get(id);
    if (record) await tx.store.put({ ...record, pushed: 1 });
  });
  await Promise.all([...marks, tx.done]);
}
