// Takes the checker's snapshot after a run: the device's IndexedDB, the `files` and `device_events` rows, and the stored bytes.
import { createHash } from 'node:crypto';
import type pg from 'pg';
import type { Outbox } from '@fieldvault/pwa/src/outbox/outbox';
import { outboxState } from '@fieldvault/pwa/src/outbox/testing';
import type { ObjectStore } from '../../packages/server/src/storage/index.js';
import type { DeviceCapture, FileRow, Snapshot } from './checker';

async function sha256OfStream(stream: ReadableStream<Uint8Array>): Promise<string> {
  const hash = createHash('sha256');
  const reader = stream.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return hash.digest('hex');
    hash.update(value);
  }
}

async function sha256OfBlob(blob: Blob | undefined): Promise<string | null> {
  if (!blob) return null;
  return createHash('sha256')
    .update(new Uint8Array(await blob.arrayBuffer()))
    .digest('hex');
}

/** What storage holds under `key`, hashed; null when there is no such object. */
async function storedSha256(store: ObjectStore, key: string): Promise<string | null> {
  if (!(await store.head(key))) return null;
  return sha256OfStream(await store.getStream(key));
}

async function deviceCaptures(outbox: Outbox): Promise<DeviceCapture[]> {
  const state = await outboxState(outbox);
  const blobs = new Map(state.blobs.map((b) => [b.key, b.blob]));
  return Promise.all(
    state.captures.map(async (c) => ({
      captureId: c.captureId,
      size: c.size,
      sha256: c.sha256,
      state: c.state,
      errorCode: c.lastError?.code ?? null,
      error: c.lastError ? `${c.lastError.code}: ${c.lastError.message}` : null,
      bytesSha256: c.blobKey ? await sha256OfBlob(blobs.get(c.blobKey)) : null,
    })),
  );
}

interface FileDbRow {
  capture_id: string;
  status: string;
  sha256: string;
  size: string;
  key: string;
}

/** Reads everything the checker needs about the run's captures. */
export async function takeSnapshot(deps: {
  outbox: Outbox;
  db: pg.Pool;
  store: ObjectStore;
}): Promise<Snapshot> {
  const captures = await deviceCaptures(deps.outbox);
  const ids = captures.map((c) => c.captureId);
  const rows = await deps.db.query<FileDbRow>(
    'select capture_id, status, sha256, size, key from files where capture_id = any($1::uuid[])',
    [ids],
  );
  const files: FileRow[] = await Promise.all(
    rows.rows.map(async (r) => ({
      captureId: r.capture_id,
      status: r.status,
      sha256: r.sha256,
      size: Number(r.size),
      storedSha256: await storedSha256(deps.store, r.key),
    })),
  );
  const { events } = await outboxState(deps.outbox);
  const ingested = await deps.db.query<{ id: string }>(
    'select id from device_events where id = any($1::uuid[])',
    [events.map((e) => e.id)],
  );
  const done = new Set(captures.filter((c) => c.state === 'done').map((c) => c.captureId));
  return {
    captures,
    files,
    events: events.map((e) => ({
      id: e.id,
      pushed: e.pushed === 1,
      captureDone: done.has(e.captureId),
    })),
    ingestedEventIds: new Set(ingested.rows.map((r) => r.id)),
  };
}

/** Captures stored twice anywhere in the database (the unique index should make this impossible). */
export async function duplicateCaptureIds(db: pg.Pool): Promise<number> {
  const res = await db.query<{ n: string }>(
    'select count(*) as n from (select 1 from files group by org_id, capture_id having count(*) > 1) d',
  );
  return Number(res.rows[0]?.n ?? 0);
}
