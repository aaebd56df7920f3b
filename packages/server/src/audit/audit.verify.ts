// Chain verification at speed: the writer's row hash recomputed with the top-level keys laid out once, and the chain read a batch ahead.
import { createHash } from 'node:crypto';
import type { Executor } from '../db/database.js';
import type { AuditEventRow } from '../db/schema.js';
import type { ChainBreak } from './audit.chain.js';
import { readChainBatch } from './audit.repository.js';
import { canonicalJson } from './canonical-json.js';
import { computeAuditHash, type HashedAuditFields } from './audit.writer.js';

/**
 * The writer's hashed body: wire key → row column, in canonicalJson's key order (sorted by code
 * unit). Fixed here so each row costs one string concatenation instead of entries, sort and map.
 */
const FIELDS = [
  ['action', 'action'],
  ['actorRole', 'actor_role'],
  ['actorUserId', 'actor_user_id'],
  ['at', 'at'],
  ['captureId', 'capture_id'],
  ['details', 'details'],
  ['deviceAt', 'device_at'],
  ['deviceLabel', 'device_label'],
  ['errorCode', 'error_code'],
  ['id', 'id'],
  ['ip', 'ip'],
  ['orgId', 'org_id'],
  ['prevHash', 'prev_hash'],
  ['seq', 'seq'],
  ['success', 'success'],
  ['targetFileId', 'target_file_id'],
  ['targetKey', 'target_key'],
  ['userAgent', 'user_agent'],
] as const satisfies readonly (readonly [string, keyof HashedAuditFields])[];

const PREFIXES = FIELDS.map(([wire], i) => `${i === 0 ? '{' : ','}${JSON.stringify(wire)}:`);

/**
 * The same hex digest as computeAuditHash (the writer's, which stays the definition): a row with an
 * undefined field — which canonicalJson would leave out — takes the writer's own path.
 */
export function auditRowHash(row: HashedAuditFields): string {
  let body = '';
  for (let i = 0; i < FIELDS.length; i++) {
    const value = row[(FIELDS[i] as (typeof FIELDS)[number])[1]];
    if (value === undefined) return computeAuditHash(row);
    body += PREFIXES[i] + canonicalJson(value);
  }
  return createHash('sha256').update(`${body}}`, 'utf8').digest('hex');
}

/**
 * Check rows of one org ordered by seq from `start`, as findChainBreak does (the same breaks, in
 * the same order of checks), with {@link auditRowHash}.
 */
export function findChainBreakFast(
  rows: readonly AuditEventRow[],
  start: { seq: number; prevHash: string },
): ChainBreak | null {
  let expectedSeq = start.seq;
  let prevHash = start.prevHash;
  for (const row of rows) {
    if (row.seq !== expectedSeq) return { seq: row.seq, reason: 'gap', expectedSeq };
    if (row.prev_hash !== prevHash) return { seq: row.seq, reason: 'prev_hash' };
    if (auditRowHash(row) !== row.hash) return { seq: row.seq, reason: 'hash' };
    prevHash = row.hash;
    expectedSeq++;
  }
  return null;
}

/**
 * An org's chain rows `fromSeq..toSeq` in batches of `limit`, the next batch asked for while the
 * caller checks this one (the database works while we hash). Memory: two batches.
 */
export async function* chainBatches(
  db: Executor,
  q: { orgId: string; fromSeq: number; toSeq: number; limit: number },
): AsyncGenerator<AuditEventRow[]> {
  const read = (fromSeq: number) => readChainBatch(db, { ...q, fromSeq });
  let pending = read(q.fromSeq);
  for (;;) {
    const rows = await pending;
    const last = rows.at(-1);
    if (!last) return;
    const more = rows.length === q.limit && last.seq < q.toSeq;
    if (more) {
      pending = read(last.seq + 1);
      // Marked handled: a caller that stops at a break never awaits it.
      pending.catch(() => undefined);
    }
    yield rows;
    if (!more) return;
  }
}
