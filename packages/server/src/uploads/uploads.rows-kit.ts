// Test kit for group-commit tests: which transaction wrote a row, an org's audit chain checked link by link and against its head.
import { sql } from 'kysely';
import { expect } from 'vitest';
import { findChainBreak } from '../audit/audit.chain.js';
import type { Executor } from '../db/database.js';

/** The transaction id that last wrote each capture's file row (rows of one transaction share it). */
export async function fileWriters(db: Executor, captureIds: readonly string[]): Promise<string[]> {
  const rows = await db
    .selectFrom('files')
    .select([sql<string>`xmin::text`.as('xid'), 'capture_id'])
    .where('capture_id', 'in', [...captureIds])
    .execute();
  return rows.map((r) => r.xid);
}

/** The audit rows of `action` naming one of the captures. */
export function auditRowsOf(db: Executor, captureIds: readonly string[], action: string) {
  return db
    .selectFrom('audit_events')
    .selectAll()
    .where('capture_id', 'in', [...captureIds])
    .where('action', '=', action)
    .execute();
}

/** Assert the org's chain: seq 1..n with no gap, every link hashing true, and its head at the last row. */
export async function expectChainIntact(db: Executor, orgId: string): Promise<void> {
  const chain = await db
    .selectFrom('audit_events')
    .selectAll()
    .where('org_id', '=', orgId)
    .orderBy('seq')
    .execute();
  expect(chain.map((r) => r.seq)).toEqual(chain.map((_, i) => i + 1));
  expect(findChainBreak(chain)).toBeNull();
  const head = await db
    .selectFrom('audit_chain_heads')
    .selectAll()
    .where('org_id', '=', orgId)
    .executeTakeFirstOrThrow();
  expect(head).toMatchObject({ seq: chain.length, hash: chain.at(-1)?.hash });
}
