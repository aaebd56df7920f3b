// Wires a whole server from config: database (migrated), first admin, metrics, the instrumented object store, and the HTTP app.
import path from 'node:path';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import { bootstrapFirstAdmin, type BootstrapResult } from '../auth/bootstrap.js';
import { openDatabase, type Database } from '../db/database.js';
import { migrateToLatest } from '../db/migrate.js';
import { resolveSecret, type Config } from '../env.js';
import { JOBS } from '../jobs/jobs.registry.js';
import { startScheduler } from '../jobs/jobs.scheduler.js';
import { createMetrics } from '../metrics.js';
import { instrumentObjectStore } from '../metrics.storage.js';
import { createObjectStore, type ObjectStore, type ObjectStoreConfig } from '../storage/index.js';
import { startWebhookDispatcher } from '../webhooks/webhooks.dispatcher.js';
import { buildApp } from './app.js';

export interface RunningServer {
  app: FastifyInstance;
  db: Database;
  store: ObjectStore;
  /** Present on the start that created the first admin. */
  bootstrap: BootstrapResult | null;
  /** Stop accepting requests, drain in-flight ones, then close the database. */
  close(): Promise<void>;
}

/** Map the validated env onto the storage module's config. */
export function storageConfig(config: Config, secret: string): ObjectStoreConfig {
  const storage = config.storage;
  if (storage.kind === 'fs') {
    return { kind: 'fs', dir: storage.dir, secret, publicBaseUrl: config.publicUrl };
  }
  return {
    kind: 's3',
    ...(storage.endpoint ? { endpoint: storage.endpoint } : {}),
    region: storage.region,
    bucket: storage.bucket,
    accessKeyId: storage.accessKeyId,
    secretAccessKey: storage.secretAccessKey,
    forcePathStyle: storage.forcePathStyle,
    ...(storage.cdnUrl ? { cdnUrl: storage.cdnUrl } : {}),
    ...(storage.sse ? { sse: storage.sse } : {}),
    ...(storage.objectLockMode ? { objectLockMode: storage.objectLockMode } : {}),
  };
}

/** Open everything and build the app (not listening yet). */
export async function createServer(
  config: Config,
  logger: FastifyBaseLogger,
): Promise<RunningServer> {
  const secret = await resolveSecret(config);
  const opened = await openDatabase(
    config.databaseUrl
      ? { url: config.databaseUrl }
      : { pgliteDir: path.join(config.dataDir, 'pglite') },
  );
  const { db } = opened;
  try {
    for (const line of await migrateToLatest(db)) logger.info(`migrations: ${line}`);
    const bootstrap = await bootstrapFirstAdmin({ db, clock: () => new Date() }, config.admin);
    const metrics = createMetrics(opened.pool ? { pool: opened.pool } : {});
    // Capabilities are probed (s3) and logged once by the factory; every later call is measured.
    const store = instrumentObjectStore(
      await createObjectStore(storageConfig(config, secret), { logger }),
      metrics,
    );
    const app = await buildApp({ config, logger, db, store, metrics });
    // Every replica schedules; the job leases make sure only one of them runs each firing.
    const scheduler = config.jobs.enabled
      ? startScheduler(
          { db, store, config, clock: () => new Date(), log: logger },
          { registry: JOBS },
        )
      : null;
    // Every replica sends webhooks; SKIP LOCKED claims keep them from sending one delivery twice.
    const webhooks = startWebhookDispatcher({ db, clock: () => new Date(), log: logger });
    return {
      app,
      db,
      store,
      bootstrap,
      close: async () => {
        await webhooks.stop();
        await scheduler?.stop();
        await app.close();
        await opened.close();
      },
    };
  } catch (err) {
    await opened.close();
    throw err;
  }
}
