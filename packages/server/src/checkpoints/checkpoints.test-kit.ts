// Test kit for checkpoint tests: grow an org's audit chain, and rewrite the database as its owner could.
import { sql } from 'kysely';
import { appendAuditEvent } from '../audit/audit.writer.js';
import type { Tx } from '../db/database.js';
import type { Harness } from '../test/harness.js';

/** Append `n` events to the org's chain. */
export async function appendEvents(h: Harness, orgId: string, n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    await h.deps.db.transaction().execute((trx) =>
      appendAuditEvent(trx, {
        orgId,
        at: h.clock.now(),
        actor: { userId: null, role: null },
        action: 'RECONCILE_RUN',
        success: true,
        details: { i },
      }),
    );
  }
}

/** Tamper as the database owner would: triggers off for this transaction only (superuser). */
export function asSuperuser(h: Harness, fn: (trx: Tx) => Promise<unknown>): Promise<void> {
  return h.test.db.transaction().execute(async (trx) => {
    await sql`set local session_replication_role = replica`.execute(trx);
    await fn(trx);
  });
}
