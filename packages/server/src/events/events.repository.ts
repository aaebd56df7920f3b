// SQL of the events outbox: append one event under the org's chain-head lock, read an org's events after a seq.
import { sql } from 'kysely';
import type { Executor, Tx } from '../db/database.js';
import type { FileEventRow, JsonValue } from '../db/schema.js';
import { lockChainHead } from '../audit/audit.writer.js';
import { enqueueDeliveriesSql } from '../webhooks/webhooks.repository.js';
import { EVENTS_CHANNEL } from './events.notifier.js';

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
 * Append events of one org, in order. The org's audit chain-head row is locked first — the same lock
 * every audit write takes — so the org's events get gapless seqs in commit order (a reader resuming
 * at `seq > n` can never skip an event that committed late) and no second lock, hence no new deadlock
 * order, exists. The lock is its own statement: a statement's snapshot is taken before it waits, so
 * `max(seq)` must be read by a later one. Then one statement inserts the events, queues a webhook
 * delivery per event and enabled endpoint (webhooks.repository.ts's `enqueueDeliveriesSql`), and
 * NOTIFYs (PostgreSQL delivers it at commit; one per transaction and payload).
 */
export async function insertFileEvents(
  trx: Tx,
  events: readonly NewFileEvent[],
): Promise<FileEventRow[]> {
  const orgId = events[0]?.orgId;
  if (orgId === undefined) return [];
  if (events.some((e) => e.orgId !== orgId)) {
    throw new Error('insertFileEvents: every event must belong to one org');
  }
  await lockChainHead(trx, orgId);
  const values = sql.join(
    events.map(
      (e, i) =>
        sql`(${i + 1}::int, ${e.id}::uuid, ${e.type}::text, ${e.fileId}::uuid, ${JSON.stringify(e.payload)}::jsonb, ${e.at}::timestamptz)`,
    ),
  );
  const { rows } = await sql<FileEventRow>`
    with base as (select coalesce(max(seq), 0) as seq from file_events where org_id = ${orgId}),
    ins as (
      insert into file_events (org_id, seq, id, type, file_id, payload, created_at)
      select ${orgId}::uuid, base.seq + v.n, v.id, v.type, v.file_id, v.payload, v.created_at
        from base, (values ${values}) as v (n, id, type, file_id, payload, created_at)
      returning *
    ),
    deliveries as (${enqueueDeliveriesSql({ orgId, events: 'ins' })})
    select ins.* from ins, (select pg_notify(${EVENTS_CHANNEL}, ${orgId})) as notified
  `.execute(trx);
  return [...rows].sort((a, b) => a.seq - b.seq);
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
