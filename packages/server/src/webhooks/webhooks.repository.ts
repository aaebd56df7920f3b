// SQL of signed webhooks: endpoints per org, one delivery row per (event, endpoint), the dispatcher's claim and verdicts, the delivery log.
import { sql, type RawBuilder } from 'kysely';
import type { Executor, Tx } from '../db/database.js';
import type { WebhookDeliveryRow, WebhookDeliveryState, WebhookRow } from '../db/schema.js';

/**
 * The statement that queues a delivery of each event in `events` (the name of a CTE of the caller's
 * statement with the events' `org_id`, `id` and `created_at`) to every enabled endpoint of the event's
 * org. The events outbox runs it inside the statement that inserts the events, so an event exists if
 * and only if its deliveries do (the outbox's guarantee carries over to webhooks), at no extra round trip.
 */
export function enqueueDeliveriesSql(q: { events: string }): RawBuilder<unknown> {
  return sql`insert into webhook_deliveries (org_id, webhook_id, event_id, next_attempt_at, created_at)
      select w.org_id, w.id, e.id, e.created_at, e.created_at
        from ${sql.table(q.events)} e join webhooks w on w.org_id = e.org_id
       where w.enabled = true`;
}

/** An org's endpoints, oldest first. */
export function listWebhooks(db: Executor, orgId: string): Promise<WebhookRow[]> {
  return db
    .selectFrom('webhooks')
    .selectAll()
    .where('org_id', '=', orgId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

/** Add an endpoint. */
export function insertWebhook(
  db: Executor,
  row: Pick<WebhookRow, 'org_id' | 'url' | 'description' | 'secret' | 'created_by' | 'created_at'>,
): Promise<WebhookRow> {
  return db.insertInto('webhooks').values(row).returningAll().executeTakeFirstOrThrow();
}

/** Remove an endpoint of the org (its deliveries go with it); undefined when it is not the org's. */
export function deleteWebhook(
  db: Executor,
  q: { orgId: string; id: string },
): Promise<WebhookRow | undefined> {
  return db
    .deleteFrom('webhooks')
    .where('org_id', '=', q.orgId)
    .where('id', '=', q.id)
    .returningAll()
    .executeTakeFirst();
}

/** A due delivery with what sending it needs. */
export type ClaimedDelivery = WebhookDeliveryRow & { url: string; secret: string };

/**
 * Claim up to `limit` due deliveries: locked with SKIP LOCKED so replicas take different rows, and
 * pushed `leaseMs` into the future so nobody else picks them up while this process sends them.
 */
export async function claimDue(
  trx: Tx,
  q: { now: Date; leaseMs: number; limit: number },
): Promise<ClaimedDelivery[]> {
  const due = await trx
    .selectFrom('webhook_deliveries as d')
    .innerJoin('webhooks as w', 'w.id', 'd.webhook_id')
    .selectAll('d')
    .select(['w.url', 'w.secret'])
    .where('d.state', '=', 'pending')
    .where('d.next_attempt_at', '<=', q.now)
    .orderBy('d.next_attempt_at')
    .limit(q.limit)
    .forUpdate('d')
    .skipLocked()
    .execute();
  if (due.length === 0) return [];
  await trx
    .updateTable('webhook_deliveries')
    .set({ next_attempt_at: new Date(q.now.getTime() + q.leaseMs) })
    .where(
      'id',
      'in',
      due.map((d) => d.id),
    )
    .execute();
  return due;
}

/** Record one attempt's outcome. */
export async function recordAttempt(
  db: Executor,
  q: {
    id: string;
    state: WebhookDeliveryState;
    at: Date;
    nextAttemptAt: Date | null;
    status: number | null;
    error: string | null;
  },
): Promise<void> {
  await db
    .updateTable('webhook_deliveries')
    .set((eb) => ({
      state: q.state,
      attempts: eb('attempts', '+', 1),
      last_attempt_at: q.at,
      next_attempt_at: q.nextAttemptAt,
      last_status: q.status,
      last_error: q.error,
      ...(q.state === 'delivered' ? { delivered_at: q.at } : {}),
    }))
    .where('id', '=', q.id)
    .execute();
}

/** The org's delivery log, newest first, with each event's type. */
export function listDeliveries(
  db: Executor,
  q: { orgId: string; webhookId?: string; state?: WebhookDeliveryState; limit: number },
) {
  let query = db
    .selectFrom('webhook_deliveries as d')
    .innerJoin('file_events as e', 'e.id', 'd.event_id')
    .selectAll('d')
    .select('e.type as event_type')
    .where('d.org_id', '=', q.orgId);
  if (q.webhookId) query = query.where('d.webhook_id', '=', q.webhookId);
  if (q.state) query = query.where('d.state', '=', q.state);
  return query.orderBy('d.created_at', 'desc').orderBy('d.id', 'desc').limit(q.limit).execute();
}
