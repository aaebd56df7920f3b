// Recomputes an org's audit chain and names the first broken link (used by tests now, by `audit.verify` next).
import type { AuditEventRow } from '../db/schema.js';
import { computeAuditHash, GENESIS_HASH } from './audit.writer.js';

export type ChainBreak =
  | { seq: number; reason: 'gap'; expectedSeq: number }
  | { seq: number; reason: 'prev_hash' }
  | { seq: number; reason: 'hash' };

/**
 * Check rows of one org ordered by seq, starting at `start` (seq 1 and the genesis hash by
 * default). Returns the first break, or null when every link holds.
 */
export function findChainBreak(
  rows: readonly AuditEventRow[],
  start: { seq: number; prevHash: string } = { seq: 1, prevHash: GENESIS_HASH },
): ChainBreak | null {
  let expectedSeq = start.seq;
  let prevHash = start.prevHash;
  for (const row of rows) {
    if (row.seq !== expectedSeq) return { seq: row.seq, reason: 'gap', expectedSeq };
    if (row.prev_hash !== prevHash) return { seq: row.seq, reason: 'prev_hash' };
    const { hash, ...fields } = row;
    if (computeAuditHash(fields) !== hash) return { seq: row.seq, reason: 'hash' };
    prevHash = hash;
    expectedSeq++;
  }
  return null;
}
