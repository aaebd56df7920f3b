// Admin management of webhook endpoints (create with a one-time secret, delete — both audited) and the delivery log.
import { randomBytes } from 'node:crypto';
import { fail } from '@fieldvault/shared/errors';
import type {
  FileEventType,
  Webhook,
  WebhookCreated,
  WebhookCreateInput,
  WebhookDeliveriesInput,
  WebhookDelivery,
} from '@fieldvault/shared/schemas';
import { appendAuditEvent } from '../audit/audit.writer.js';
import type { Database, Tx } from '../db/database.js';
import type { WebhookRow } from '../db/schema.js';
import type { Clock, RequestMeta, SessionInfo } from '../trpc/context.js';
import {
  deleteWebhook,
  insertWebhook,
  listDeliveries,
  listWebhooks,
} from './webhooks.repository.js';

export interface WebhookDeps {
  db: Database;
  clock: Clock;
  meta: RequestMeta;
  session: SessionInfo;
}

function toWebhook(row: WebhookRow): Webhook {
  return {
    id: row.id,
    url: row.url,
    description: row.description,
    enabled: row.enabled,
    createdAt: row.created_at.toISOString(),
  };
}

async function audit(
  trx: Tx,
  deps: WebhookDeps,
  q: { action: 'WEBHOOK_CREATED' | 'WEBHOOK_DELETED'; row: WebhookRow },
) {
  await appendAuditEvent(trx, {
    orgId: deps.session.orgId,
    at: deps.clock(),
    actor: { userId: deps.session.userId, role: deps.session.role },
    ip: deps.meta.ip,
    userAgent: deps.meta.userAgent,
    deviceLabel: deps.session.deviceLabel,
    action: q.action,
    success: true,
    // Never the secret.
    details: { webhookId: q.row.id, url: q.row.url },
  });
}

/** The org's endpoints. */
export async function listOrgWebhooks(deps: WebhookDeps): Promise<Webhook[]> {
  return (await listWebhooks(deps.db, deps.session.orgId)).map(toWebhook);
}

/** Add an endpoint; its signing secret is returned this once. */
export function createWebhook(
  deps: WebhookDeps,
  input: WebhookCreateInput,
): Promise<WebhookCreated> {
  const secret = randomBytes(32).toString('base64url');
  return deps.db.transaction().execute(async (trx) => {
    const row = await insertWebhook(trx, {
      org_id: deps.session.orgId,
      url: input.url,
      description: input.description ?? null,
      secret,
      created_by: deps.session.userId,
      created_at: deps.clock(),
    });
    await audit(trx, deps, { action: 'WEBHOOK_CREATED', row });
    return { webhook: toWebhook(row), secret };
  });
}

/** Remove an endpoint and its queued deliveries; another org's id is NOT_FOUND. */
export function removeWebhook(deps: WebhookDeps, id: string): Promise<Webhook> {
  return deps.db.transaction().execute(async (trx) => {
    const row = await deleteWebhook(trx, { orgId: deps.session.orgId, id });
    if (!row) throw fail.NOT_FOUND('No such webhook.');
    await audit(trx, deps, { action: 'WEBHOOK_DELETED', row });
    return toWebhook(row);
  });
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** The org's delivery log, newest first. */
export async function deliveryLog(
  deps: WebhookDeps,
  input: WebhookDeliveriesInput,
): Promise<WebhookDelivery[]> {
  const rows = await listDeliveries(deps.db, {
    orgId: deps.session.orgId,
    ...(input?.webhookId ? { webhookId: input.webhookId } : {}),
    ...(input?.state ? { state: input.state } : {}),
    limit: input?.limit ?? 50,
  });
  return rows.map((r) => ({
    id: r.id,
    webhookId: r.webhook_id,
    eventId: r.event_id,
    eventType: r.event_type as FileEventType,
    state: r.state,
    attempts: r.attempts,
    nextAttemptAt: iso(r.next_attempt_at),
    lastAttemptAt: iso(r.last_attempt_at),
    lastStatus: r.last_status,
    lastError: r.last_error,
    deliveredAt: iso(r.delivered_at),
    createdAt: r.created_at.toISOString(),
  }));
}
