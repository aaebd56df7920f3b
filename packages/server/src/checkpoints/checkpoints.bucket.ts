// Checkpoints kept in the bucket (WORM evidence): written beside the database's row, read back and held to it, so a rewritten database shows.
import type { ObjectStore } from '../storage/object-store.js';
import type { CheckpointRow } from './checkpoints.repository.js';

/** Where an org's checkpoint objects live; reconcile never calls them orphans. */
export const CHECKPOINTS_PREFIX = 'checkpoints/';

/** A checkpoint object larger than this is not one of ours. */
const MAX_OBJECT_BYTES = 4096;

/** The key of a checkpoint object: seq zero-padded so the listing order is seq order. */
export function checkpointObjectKey(c: { org_id: string; seq: number }): string {
  return `${CHECKPOINTS_PREFIX}${c.org_id}/${String(c.seq).padStart(12, '0')}.json`;
}

/** The object's JSON: every field of the row, so it verifies with the public key alone. */
function objectBody(row: CheckpointRow): string {
  return JSON.stringify({
    org: row.org_id,
    seq: row.seq,
    hash: row.hash,
    at: row.at.toISOString(),
    keyId: row.key_id,
    signature: row.signature,
  });
}

/** Put the checkpoint under checkpoints/ (putObject refuses to overwrite an existing one). */
export async function putCheckpointObject(store: ObjectStore, row: CheckpointRow): Promise<void> {
  const body = Buffer.from(objectBody(row));
  await store.putObject(checkpointObjectKey(row), body, { contentType: 'application/json' });
}

async function readSmall(store: ObjectStore, key: string): Promise<string | null> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  // A reader, not `for await`: the PWA type-checks this file against the DOM's ReadableStream, which has no async iterator.
  const reader = (await store.getStream(key)).getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > MAX_OBJECT_BYTES) {
        await reader.cancel();
        return null;
      }
      chunks.push(value);
    }
  } finally {
    reader.releaseLock();
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** The row an object describes, or null when it is not a checkpoint of `orgId` under its own key. */
function parseObject(text: string | null, q: { orgId: string; key: string }): CheckpointRow | null {
  try {
    const o = JSON.parse(text ?? '') as Record<string, unknown>;
    const { org, seq, hash, at, keyId, signature } = o;
    if (org !== q.orgId || typeof seq !== 'number' || !Number.isSafeInteger(seq)) return null;
    if (typeof hash !== 'string' || typeof at !== 'string') return null;
    if (typeof keyId !== 'string' || typeof signature !== 'string') return null;
    const row = { org_id: org, seq, hash, at: new Date(at), key_id: keyId, signature };
    return checkpointObjectKey(row) === q.key && !Number.isNaN(row.at.getTime()) ? row : null;
  } catch {
    return null;
  }
}

/** A checkpoint object read back: the row it holds, or null when it is unreadable or malformed. */
export interface CheckpointObject {
  key: string;
  seq: number | null;
  row: CheckpointRow | null;
}

/**
 * Every checkpoint object of `orgId` in seq order. Memory holds one small row per checkpoint, as
 * the database side already does (listCheckpoints).
 */
export async function readCheckpointObjects(
  store: ObjectStore,
  orgId: string,
): Promise<CheckpointObject[]> {
  const out: CheckpointObject[] = [];
  for await (const o of store.list(`${CHECKPOINTS_PREFIX}${orgId}/`)) {
    const row = parseObject(await readSmall(store, o.key), { orgId, key: o.key });
    const seq = /\/(\d{12})\.json$/.exec(o.key)?.[1];
    out.push({ key: o.key, seq: row?.seq ?? (seq ? Number(seq) : null), row });
  }
  return out;
}

/** Why the bucket's checkpoints disagree with the database's. */
export type BucketBreakReason =
  'checkpoint_object' | 'checkpoint_object_missing' | 'checkpoint_row_missing';

const same = (a: CheckpointRow, b: CheckpointRow): boolean =>
  a.seq === b.seq &&
  a.hash === b.hash &&
  a.at.getTime() === b.at.getTime() &&
  a.key_id === b.key_id &&
  a.signature === b.signature;

/**
 * Hold the bucket's checkpoints to the database's; the lowest-seq disagreement, or null. An object
 * unreadable or unlike its row is `checkpoint_object`; a row without its object is
 * `checkpoint_object_missing` — only from the bucket's first checkpoint on, since rows signed before
 * checkpoints went to the bucket never had one; an object whose row is gone is
 * `checkpoint_row_missing` (rows are append-only: someone removed it). The objects' signatures are
 * checked with the rows' (verifyAuditChain), and their hashes held to the chain.
 */
export function compareWithBucket(
  rows: readonly CheckpointRow[],
  objects: readonly CheckpointObject[],
): { seq: number; reason: BucketBreakReason } | null {
  const breaks: { seq: number; reason: BucketBreakReason }[] = [];
  const bySeq = new Map(rows.map((r) => [r.seq, r]));
  const objectSeqs = new Set<number>();
  for (const o of objects) {
    if (!o.row || o.seq === null) {
      breaks.push({ seq: o.seq ?? 0, reason: 'checkpoint_object' });
      continue;
    }
    objectSeqs.add(o.seq);
    const row = bySeq.get(o.seq);
    if (!row) breaks.push({ seq: o.seq, reason: 'checkpoint_row_missing' });
    else if (!same(row, o.row)) breaks.push({ seq: o.seq, reason: 'checkpoint_object' });
  }
  const first = Math.min(...objectSeqs);
  for (const r of rows) {
    if (r.seq > first && !objectSeqs.has(r.seq))
      breaks.push({ seq: r.seq, reason: 'checkpoint_object_missing' });
  }
  return breaks.sort((a, b) => a.seq - b.seq)[0] ?? null;
}
