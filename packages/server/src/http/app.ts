// The Fastify app factory: logging with request ids, security headers, health and metrics, tRPC, fs byte routes, the PWA.
import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Database } from '../db/database.js';
import type { Config } from '../env.js';
import type { Metrics } from '../metrics.js';
import { unwrapObjectStore } from '../metrics.storage.js';
import {
  FS_ROUTE_PREFIX,
  FsObjectStore,
  fsStorageRoutes,
  probeStorage,
  type ObjectStore,
} from '../storage/index.js';
import type { Clock, ServerDeps } from '../trpc/context.js';
import { registerExportRoutes } from './export-routes.js';
import { registerHealthRoutes, type StorageProbe } from './health.js';
import { registerLiveUpdates } from './live.js';
import { registerPwa } from './pwa.js';
import { appOrigins, registerSecurityHeaders } from './security.js';
import { registerTrpc } from './trpc.js';

export interface AppDeps {
  config: Config;
  logger: FastifyBaseLogger;
  db: Database;
  store: ObjectStore;
  metrics: Metrics;
  /** Defaults to the wall clock; tests inject their own. */
  clock?: Clock;
  /** Storage readiness check; defaults to the storage module's `probeStorage` (put, presign, head, delete). */
  probeStorage?: StorageProbe;
  /** Login requests per IP per minute before HTTP 429 (default: the config's; benchmarks raise it). */
  loginRateLimitPerMinute?: number;
}

/** A request id from a trusted upstream (`x-request-id`) when it looks sane, else a fresh UUID. */
function requestId(header: string | string[] | undefined): string {
  const value = Array.isArray(header) ? header[0] : header;
  return value && /^[\w.:-]{1,128}$/.test(value) ? value : randomUUID();
}

/** Build the HTTP app. Callers `listen()` (main.ts) or `inject()` (tests) and own `close()` and the DB. */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const { config } = deps;
  const app = Fastify({
    loggerInstance: deps.logger,
    genReqId: (req) => requestId(req.headers['x-request-id']),
    requestIdHeader: false,
    trustProxy: config.trustProxy,
    // Keep-alive sockets would otherwise hold `close()` open until they time out.
    forceCloseConnections: 'idle',
    return503OnClosing: true,
    bodyLimit: 1024 * 1024,
    // A tRPC batch names every call in the path (`/trpc/uploads.begin,uploads.begin,…`); Fastify's default
    // 100-character limit answered a batch of 10 begins with a bare 414 the tRPC client could not read.
    routerOptions: { maxParamLength: 5000 },
  });
  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });

  const serverDeps: ServerDeps = {
    db: deps.db,
    store: deps.store,
    config,
    clock: deps.clock ?? (() => new Date()),
    log: app.log,
    metrics: deps.metrics,
  };

  await registerSecurityHeaders(app, config);
  registerHealthRoutes(app, {
    db: deps.db,
    store: deps.store,
    metrics: deps.metrics,
    probeStorage: deps.probeStorage ?? ((store) => probeStorage(store, { timeoutMs: 3_000 })),
  });
  registerLiveUpdates(app, config);
  await registerTrpc(app, serverDeps, {
    loginRateLimitPerMinute: deps.loginRateLimitPerMinute ?? config.loginRateLimitPerMinute,
  });
  registerExportRoutes(app, serverDeps);
  // The byte routes need the disk store itself, also when it is wrapped for metrics.
  const store = unwrapObjectStore(deps.store);
  if (store instanceof FsObjectStore) {
    await app.register(async (scope) => {
      // Presigned byte URLs are fetched like S3 objects: cross-origin reads are governed by the
      // signature and CORS, not by helmet's same-origin CORP (which would block <img> previews).
      scope.addHook('onSend', async (_request, reply, payload) => {
        reply.header('cross-origin-resource-policy', 'cross-origin');
        return payload;
      });
      await scope.register(fsStorageRoutes, {
        prefix: FS_ROUTE_PREFIX,
        store,
        corsOrigins: appOrigins(config),
      });
    });
  }
  await registerPwa(app, config.pwaDir);
  return app;
}
