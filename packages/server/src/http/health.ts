// /healthz (process up), /readyz (database answers and storage round-trips), /metrics (Prometheus text).
import type { FastifyInstance } from 'fastify';
import { pingDatabase, type Database } from '../db/database.js';
import type { Metrics } from '../metrics.js';
import type { ObjectStore } from '../storage/object-store.js';

const CHECK_TIMEOUT_MS = 3_000;

/** A storage round trip (put, presign, head, delete a tiny object); rejects when storage is not ready. */
export type StorageProbe = (store: ObjectStore) => Promise<unknown>;

async function timed(
  check: () => Promise<unknown>,
): Promise<{ ok: boolean; ms: number; error?: string }> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      check(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`timed out after ${CHECK_TIMEOUT_MS} ms`)),
          CHECK_TIMEOUT_MS,
        );
      }),
    ]);
    return { ok: true, ms: Math.round(performance.now() - started) };
  } catch (err) {
    return {
      ok: false,
      ms: Math.round(performance.now() - started),
      error: err instanceof Error ? err.message : String(err),
    };
  } finally {
    clearTimeout(timer);
  }
}

export interface HealthDeps {
  db: Database;
  store: ObjectStore;
  metrics: Metrics;
  probeStorage: StorageProbe;
}

const LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'];

/**
 * Probes hit these routes every few seconds: log them at `warn` at most, but never louder than the
 * configured level (a route `logLevel` overrides the logger's, so `silent` must stay `silent`).
 */
function quietLevel(app: FastifyInstance): 'warn' | 'error' | 'fatal' | 'silent' {
  const current = app.log.level;
  return LEVELS.indexOf(current) > LEVELS.indexOf('warn')
    ? (current as 'error' | 'fatal' | 'silent')
    : 'warn';
}

export function registerHealthRoutes(app: FastifyInstance, deps: HealthDeps): void {
  const logLevel = quietLevel(app);
  app.get('/healthz', { logLevel }, () => ({ status: 'ok' }));

  app.get('/readyz', { logLevel }, async (request, reply) => {
    const [database, storage] = await Promise.all([
      timed(() => pingDatabase(deps.db)),
      timed(() => deps.probeStorage(deps.store)),
    ]);
    const ready = database.ok && storage.ok;
    if (!ready) request.log.warn({ database, storage }, 'not ready');
    // Details stay generic on the wire: error text can name hosts and paths.
    const view = (c: typeof database) => ({ ok: c.ok, ms: c.ms });
    return reply
      .code(ready ? 200 : 503)
      .header('cache-control', 'no-store')
      .send({
        status: ready ? 'ready' : 'unavailable',
        checks: { database: view(database), storage: view(storage) },
      });
  });

  app.get('/metrics', { logLevel }, async (_request, reply) => {
    const body = await deps.metrics.registry.metrics();
    return reply.header('content-type', deps.metrics.registry.contentType).send(body);
  });
}
