// SQL of the events outbox: append events under their orgs' chain-head locks, read an org's events after a seq.
import { sql } from 'kysely';
import type { Executor, Tx } from '../db/database.js';
import type { FileEventRow, JsonValue } from '../db/schema.js';
import { lockChainHeads } from '../audit/audit.writer.js';
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
 * Append events, each org's in the given order; one or many orgs. The orgs' audit chain-head rows are
 * locked first (one statement; free when this transaction already holds them) — the same lock every
 * audit write takes — so an org's events get gapless seqs in commit order (a reader resuming at
 * `seq > n` can never skip an event that committed late) and no second lock, hence no new deadlock
 * order, exists. The lock is its own statement: a statement's snapshot is taken before it waits, so
 * `max(seq)` must be read by a later one. Then one statement inserts the events, queues a webhook
 * delivery per event and enabled endpoint of its org (webhooks.repository.ts's
 * `enqueueDeliveriesSql`), and NOTIFYs once per org (PostgreSQL delivers it at commit). Rows come back
 * in the order of `events`.
 */
export async function insertFileEvents(
  trx: Tx,
  events: readonly NewFileEvent[],
): Promise<FileEventRow[]> {
  if (events.length === 0) return [];
  const ordinal = new Map<string, number>();
  const values = sql.join(
    events.map((e) => {
      const n = (ordinal.get(e.orgId) ?? 0) + 1;
      ordinal.set(e.orgId, n);
      return sql`(${e.orgId}::uuid, ${n}::int, ${e.id}::uuid, ${e.type}::text, ${e.fileId}::uuid, ${JSON.stringify(e.payload)}::jsonb, ${e.at}::timestamptz)`;
    }),
  );
  await lockChainHeads(trx, [...ordinal.keys()]);
  const { rows } = await sql<FileEventRow>`
    with v (org_id, n, id, type, file_id, payload, created_at) as (values ${values}),
    base as (
      select o.org_id, coalesce((select max(f.seq) from file_events f where f.org_id = o.org_id), 0) as seq
        from (select distinct org_id from v) o
    ),
    ins as (
      insert into file_events (org_id, seq, id, type, file_id, payload, created_at)
      select v.org_id, base.seq + v.n, v.id, v.type, v.file_id, v.payload, v.created_at
        from v join base on base.org_id = v.org_id
      returning *
    ),
    deliveries as (${enqueueDeliveriesSql({ events: 'ins' })})
    select ins.* from ins,
      (select count(pg_notify(${EVENTS_CHANNEL}, base.org_id::text)) as orgs from base) as notified
  `.execute(trx);
  const byId = new Map(rows.map((r) => [r.id, r]));
  return events.flatMap((e) => byId.get(e.id) ?? []);
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
