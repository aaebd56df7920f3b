// Test kit for the audit chain: an org's rows in seq order, checked link by link and against its chain head.
import { expect } from 'vitest';
import type { Executor } from '../db/database.js';
import type { AuditEventRow } from '../db/schema.js';
import { findChainBreak } from './audit.chain.js';

/** The org's audit rows, oldest first. */
export function chainOf(db: Executor, orgId: string): Promise<AuditEventRow[]> {
  return db
    .selectFrom('audit_events')
    .selectAll()
    .where('org_id', '=', orgId)
    .orderBy('seq')
    .execute();
}

/**
 * Assert the org's chain holds: seq 1..n with no gap (n = `length` when given), every link hashing
 * true, and its head row at the last link. Returns the rows.
 */
export async function expectChainIntact(
  db: Executor,
  orgId: string,
  length?: number,
): Promise<AuditEventRow[]> {
  const rows = await chainOf(db, orgId);
  if (length !== undefined) expect(rows).toHaveLength(length);
  expect(rows.map((r) => r.seq)).toEqual(rows.map((_, i) => i + 1));
  expect(findChainBreak(rows)).toBeNull();
  const head = await db
    .selectFrom('audit_chain_heads')
    .selectAll()
    .where('org_id', '=', orgId)
    .executeTakeFirstOrThrow();
  expect(head).toMatchObject({ seq: rows.length, hash: rows.at(-1)?.hash });
  return rows;
}
