// Sends queued webhook deliveries: HMAC-SHA256 signed POSTs, exponential backoff, dead-letter after the last attempt.
import { createHmac } from 'node:crypto';
import { WEBHOOK_MAX_ATTEMPTS, WEBHOOK_SIGNATURE_HEADER } from '@fieldvault/shared/schemas';
import type { FastifyBaseLogger } from 'fastify';
import type { Database } from '../db/database.js';
import { toFileEvent } from '../events/events.writer.js';
import type { Clock } from '../trpc/context.js';
import { claimDue, recordAttempt, type ClaimedDelivery } from './webhooks.repository.js';

/** A claimed delivery belongs to its sender this long (then another replica may retry it). */
const LEASE_MS = 60_000;
/** One POST may take this long. */
const TIMEOUT_MS = 10_000;
const BATCH = 20;

/** `t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`: the timestamp lets receivers refuse replays. */
export function signWebhook(secret: string, q: { body: string; at: Date }): string {
  const t = Math.floor(q.at.getTime() / 1000);
  const mac = createHmac('sha256', secret).update(`${t}.${q.body}`).digest('hex');
  return `t=${t},v1=${mac}`;
}

/** Seconds to wait after attempt `n` (1-based) failed: 10 s, 20 s, 40 s … at most an hour. */
export function backoffSeconds(n: number): number {
  return Math.min(3600, 10 * 2 ** (n - 1));
}

export interface DispatchDeps {
  db: Database;
  clock: Clock;
  /** Injected in tests; the platform's fetch otherwise. */
  fetch?: typeof fetch;
}

async function post(
  deps: DispatchDeps,
  d: ClaimedDelivery,
): Promise<{ status: number | null; error: string | null }> {
  const event = await deps.db
    .selectFrom('file_events')
    .selectAll()
    .where('id', '=', d.event_id)
    .executeTakeFirstOrThrow();
  const body = JSON.stringify(toFileEvent(event));
  const headers = {
    'content-type': 'application/json',
    'user-agent': 'FieldVault-Webhooks/1',
    'x-fieldvault-event-id': event.id,
    'x-fieldvault-event-type': event.type,
    'x-fieldvault-delivery-id': d.id,
    [WEBHOOK_SIGNATURE_HEADER]: signWebhook(d.secret, { body, at: deps.clock() }),
  };
  try {
    const res = await (deps.fetch ?? fetch)(d.url, {
      method: 'POST',
      headers,
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    await res.arrayBuffer().catch(() => undefined);
    return { status: res.status, error: res.ok ? null : `HTTP ${res.status}` };
  } catch (err) {
    return { status: null, error: err instanceof Error ? err.message.slice(0, 500) : 'failed' };
  }
}

/** Send one claimed delivery and record the verdict: delivered, retry later, or dead. */
async function attempt(deps: DispatchDeps, d: ClaimedDelivery): Promise<void> {
  const { status, error } = await post(deps, d);
  const at = deps.clock();
  const n = d.attempts + 1;
  const ok = error === null;
  const dead = !ok && n >= WEBHOOK_MAX_ATTEMPTS;
  await recordAttempt(deps.db, {
    id: d.id,
    state: ok ? 'delivered' : dead ? 'dead' : 'pending',
    at,
    nextAttemptAt: ok || dead ? null : new Date(at.getTime() + backoffSeconds(n) * 1000),
    status,
    error,
  });
}

/** Send every delivery due now (batch by batch); how many were attempted. */
export async function deliverDue(deps: DispatchDeps): Promise<number> {
  let total = 0;
  for (;;) {
    const now = deps.clock();
    const batch = await deps.db
      .transaction()
      .execute((trx) => claimDue(trx, { now, leaseMs: LEASE_MS, limit: BATCH }));
    // One endpoint at a time per batch keeps order roughly by event; endpoints are independent.
    await Promise.all(batch.map((d) => attempt(deps, d)));
    total += batch.length;
    if (batch.length < BATCH) return total;
  }
}

/** Run {@link deliverDue} every `intervalMs` until stopped (every replica; SKIP LOCKED shares the work). */
export function startWebhookDispatcher(
  deps: DispatchDeps & { log: FastifyBaseLogger; intervalMs?: number },
): { stop(): Promise<void> } {
  let running: Promise<unknown> = Promise.resolve();
  let stopped = false;
  const timer = setInterval(() => {
    running = running.then(async () => {
      if (stopped) return;
      await deliverDue(deps).catch((err: unknown) =>
        deps.log.warn({ err }, 'webhook dispatch failed'),
      );
    });
  }, deps.intervalMs ?? 5_000);
  timer.unref();
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
