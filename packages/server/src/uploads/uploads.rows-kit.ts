// Test kit for group-commit tests: which transaction wrote a capture's file row, and the audit rows naming captures.
import { sql } from 'kysely';
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
