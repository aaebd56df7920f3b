// What the server side holds for a soak run's captures: `files` rows with the hash of their stored bytes, ingested device events.
import { createHash } from 'node:crypto';
import type pg from 'pg';
import type { ObjectStore } from '../../packages/server/src/storage/index.js';
import type { FileRow } from './checker';

async function sha256OfStream(stream: ReadableStream<Uint8Array>): Promise<string> {
  const hash = createHash('sha256');
  const reader = stream.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return hash.digest('hex');
    hash.update(value);
  }
}

/** What storage holds under `key`, hashed; null when there is no such object. */
async function storedSha256(store: ObjectStore, key: string): Promise<string | null> {
  if (!(await store.head(key))) return null;
  return sha256OfStream(await store.getStream(key));
}

interface FileDbRow {
  capture_id: string;
  status: string;
  sha256: string;
  size: string;
  key: string;
}

/** Every `files` row of `captureIds`, with the SHA-256 of the bytes storage holds under its key. */
export async function fileRows(
  deps: { db: pg.Pool; store: ObjectStore },
  captureIds: string[],
): Promise<FileRow[]> {
  const rows = await deps.db.query<FileDbRow>(
    'select capture_id, status, sha256, size, key from files where capture_id = any($1::uuid[])',
    [captureIds],
  );
  return Promise.all(
    rows.rows.map(async (r) => ({
      captureId: r.capture_id,
      status: r.status,
      sha256: r.sha256,
      size: Number(r.size),
      storedSha256: await storedSha256(deps.store, r.key),
    })),
  );
}

/** The ids among `eventIds` the server stored in `device_events`. */
export async function ingestedEventIds(db: pg.Pool, eventIds: string[]): Promise<Set<string>> {
  const ingested = await db.query<{ id: string }>(
    'select id from device_events where id = any($1::uuid[])',
    [eventIds],
  );
  return new Set(ingested.rows.map((r) => r.id));
}

/** Records of 0 bytes for `objectId` (a 0-byte capture must be refused before anything is stored). */
export async function emptyFileRows(db: pg.Pool, objectId: string): Promise<number> {
  const res = await db.query<{ n: string }>(
    'select count(*) as n from files where object_id = $1 and size = 0',
    [objectId],
  );
  return Number(res.rows[0]?.n ?? 0);
}

/** Captures stored twice anywhere in the database (the unique index should make this impossible). */
export async function duplicateCaptureIds(db: pg.Pool): Promise<number> {
  const res = await db.query<{ n: string }>(
    'select count(*) as n from (select 1 from files group by org_id, capture_id having count(*) > 1) d',
  );
  return Number(res.rows[0]?.n ?? 0);
}

/** The `key` of the verified record of `captureId` (to delete its object on purpose, proving the checker fails). */
export async function verifiedKey(db: pg.Pool, captureId: string): Promise<string | null> {
  const res = await db.query<{ key: string }>(
    "select key from files where capture_id = $1::uuid and status = 'verified'",
    [captureId],
  );
  return res.rows[0]?.key ?? null;
}
