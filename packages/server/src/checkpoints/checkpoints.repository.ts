// SQL of audit checkpoints: every org's chain head, the latest checkpoint per org, storing and reading them.
import type { Executor } from '../db/database.js';
import type { Selectable } from 'kysely';
import type { AuditCheckpointsTable } from '../db/schema.js';

export type CheckpointRow = Selectable<AuditCheckpointsTable>;

/** Chain heads (one org or all) with the seq of their latest checkpoint (0 when none). */
export function headsWithLastCheckpoint(
  db: Executor,
  orgId: string | null,
): Promise<{ org_id: string; seq: number; hash: string; last: number }[]> {
  let query = db
    .selectFrom('audit_chain_heads as h')
    .select(['h.org_id', 'h.seq', 'h.hash'])
    .select((eb) =>
      eb
        .selectFrom('audit_checkpoints as c')
        .select((e) => e.fn.coalesce(e.fn.max('c.seq'), e.lit(0)).as('m'))
        .whereRef('c.org_id', '=', 'h.org_id')
        .as('last'),
    )
    .where('h.seq', '>', 0);
  if (orgId) query = query.where('h.org_id', '=', orgId);
  return query.execute() as Promise<{ org_id: string; seq: number; hash: string; last: number }[]>;
}

/** Store a checkpoint (a second one for the same seq is a no-op). */
export async function insertCheckpoint(db: Executor, row: CheckpointRow): Promise<void> {
  await db
    .insertInto('audit_checkpoints')
    .values(row)
    .onConflict((oc) => oc.columns(['org_id', 'seq']).doNothing())
    .execute();
}

/** Every checkpoint of an org, by seq. */
export function listCheckpoints(db: Executor, orgId: string): Promise<CheckpointRow[]> {
  return db
    .selectFrom('audit_checkpoints')
    .selectAll()
    .where('org_id', '=', orgId)
    .orderBy('seq')
    .execute();
}

/** Every org that has a chain (or checkpoints). */
export async function orgsWithAudit(db: Executor): Promise<string[]> {
  const rows = await db
    .selectFrom('audit_chain_heads')
    .select('org_id')
    .union(db.selectFrom('audit_checkpoints').select('org_id'))
    .execute();
  return rows.map((r) => r.org_id).sort();
}
