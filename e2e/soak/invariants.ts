// Takes the checker's snapshot after a run: the device's IndexedDB, the `files` and `device_events` rows, and the stored bytes.
import { createHash } from 'node:crypto';
import type pg from 'pg';
import type { Outbox } from '@fieldvault/pwa/src/outbox/outbox';
import { outboxState } from '@fieldvault/pwa/src/outbox/testing';
import type { ObjectStore } from '../../packages/server/src/storage/index.js';
import { deviceCapture, type DeviceCapture, type Snapshot } from './checker';
import { fileRows, ingestedEventIds } from './stored';

export { duplicateCaptureIds } from './stored';

async function sha256OfBlob(blob: Blob | undefined): Promise<string | null> {
  if (!blob) return null;
  return createHash('sha256')
    .update(new Uint8Array(await blob.arrayBuffer()))
    .digest('hex');
}

async function deviceCaptures(outbox: Outbox): Promise<DeviceCapture[]> {
  const state = await outboxState(outbox);
  const blobs = new Map(state.blobs.map((b) => [b.key, b.blob]));
  return Promise.all(
    state.captures.map(async (c) =>
      deviceCapture(c, c.blobKey ? await sha256OfBlob(blobs.get(c.blobKey)) : null),
    ),
  );
}

/** Reads everything the checker needs about the run's captures. */
export async function takeSnapshot(deps: {
  outbox: Outbox;
  db: pg.Pool;
  store: ObjectStore;
}): Promise<Snapshot> {
  const captures = await deviceCaptures(deps.outbox);
  const files = await fileRows(
    deps,
    captures.map((c) => c.captureId),
  );
  const { events } = await outboxState(deps.outbox);
  const done = new Set(captures.filter((c) => c.state === 'done').map((c) => c.captureId));
  return {
    captures,
    files,
    events: events.map((e) => ({
      id: e.id,
      pushed: e.pushed === 1,
      captureDone: done.has(e.captureId),
    })),
    ingestedEventIds: await ingestedEventIds(
      deps.db,
      events.map((e) => e.id),
    ),
  };
}
