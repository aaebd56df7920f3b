// LISTEN on PostgreSQL for file events committed by any replica and wake this process's live subscribers; reconnects by itself.
import type { FastifyBaseLogger } from 'fastify';
import pg from 'pg';
import { EVENTS_CHANNEL, pokeAll, pokeOrg } from '../events/events.notifier.js';

/** A running listener; `close()` ends it for good. */
export interface PgEventListener {
  close(): Promise<void>;
  /** Resolves once the first LISTEN is in place (tests wait for it before writing). */
  ready: Promise<void>;
}

const RETRY_MIN_MS = 500;
const RETRY_MAX_MS = 30_000;

/**
 * One dedicated connection (not from the pool: a pooled client is handed to other queries and would
 * lose the LISTEN). When it drops it reconnects with backoff and then wakes every subscriber, since
 * notifications sent meanwhile are lost; subscribers re-read from their last seq, so nothing is.
 */
export function startPgListener(opts: { url: string; log: FastifyBaseLogger }): PgEventListener {
  let closed = false;
  let client: pg.Client | null = null;
  let retryMs = RETRY_MIN_MS;
  let timer: NodeJS.Timeout | null = null;
  let markReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (markReady = resolve));

  const retry = () => {
    if (closed || timer) return;
    timer = setTimeout(() => {
      timer = null;
      void connect();
    }, retryMs);
    retryMs = Math.min(RETRY_MAX_MS, retryMs * 2);
  };
  const connect = async (): Promise<void> => {
    const c = new pg.Client({ connectionString: opts.url });
    client = c;
    c.on('notification', (msg) => {
      if (msg.channel === EVENTS_CHANNEL && msg.payload) pokeOrg(msg.payload);
    });
    c.on('error', (err) => {
      opts.log.warn({ err }, 'file events listener lost its connection; reconnecting');
      void c.end().catch(() => undefined);
      retry();
    });
    try {
      await c.connect();
      await c.query(`LISTEN ${EVENTS_CHANNEL}`);
      retryMs = RETRY_MIN_MS;
      markReady();
      pokeAll();
    } catch (err) {
      opts.log.warn({ err }, 'file events listener could not connect; retrying');
      await c.end().catch(() => undefined);
      retry();
    }
  };
  void connect();
  return {
    ready,
    async close() {
      closed = true;
      if (timer) clearTimeout(timer);
      await client?.end().catch(() => undefined);
    },
  };
}
