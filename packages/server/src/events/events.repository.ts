// SQL of the events outbox: append one event under the org's chain-head lock, read an org's events after a seq.
import { sql } from 'kysely';
import type { Executor, Tx } from '../db/database.js';
import type { FileEventRow, JsonValue } from '../db/schema.js';
import { GENESIS_HASH } from '../audit/audit.writer.js';

/** An event row to append; `seq` is assigned here. */
export interface NewFileEvent {
  id: string;
  orgId: string;
  type: string;
  fileId: string | null;
  payload: { [key: string]: JsonValue };
  at: Date;
}

/**
 * Append one event. The org's audit chain-head row is locked first — the same lock every audit write
 * takes — so the org's events get gapless seqs in commit order (a reader resuming at `seq > n` can
 * never skip an event that committed late) and no second lock, hence no new deadlock order, exists.
 */
export async function insertFileEvent(trx: Tx, event: NewFileEvent): Promise<FileEventRow> {
  await trx
    .insertInto('audit_chain_heads')
    .values({ org_id: event.orgId, seq: 0, hash: GENESIS_HASH })
    .onConflict((oc) => oc.column('org_id').doNothing())
    .execute();
  await trx
    .selectFrom('audit_chain_heads')
    .select('org_id')
    .where('org_id', '=', event.orgId)
    .forUpdate()
    .execute();
  return trx
    .insertInto('file_events')
    .values({
      org_id: event.orgId,
      seq: sql<number>`(select coalesce(max(seq), 0) + 1 from file_events where org_id = ${event.orgId})`,
      id: event.id,
      type: event.type,
      file_id: event.fileId,
      payload: event.payload,
      created_at: event.at,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Up to `limit` of an org's events with seq > `afterSeq`, oldest first. */
export function listFileEventsAfter(
  db: Executor,
  q: { orgId: string; afterSeq: number; limit: number },
): Promise<FileEventRow[]> {
  return db
    .selectFrom('file_events')
    .selectAll()
    .where('org_id', '=', q.orgId)
    .where('seq', '>', q.afterSeq)
    .orderBy('seq')
    .limit(q.limit)
    .execute();
}

/** The seq of one of the org's events, or undefined (also for another org's event id). */
export async function findFileEventSeq(
  db: Executor,
  q: { orgId: string; id: string },
): Promise<number | undefined> {
  const row = await db
    .selectFrom('file_events')
    .select('seq')
    .where('org_id', '=', q.orgId)
    .where('id', '=', q.id)
    .executeTakeFirst();
  return row?.seq;
}

/** The org's newest seq (0 before any event). */
export async function latestFileEventSeq(db: Executor, orgId: string): Promise<number> {
  const row = await db
    .selectFrom('file_events')
    .select((eb) => eb.fn.max<number>('seq').as('seq'))
    .where('org_id', '=', orgId)
    .executeTakeFirst();
  return Number(row?.seq ?? 0);
}
