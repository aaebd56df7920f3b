// Wires a whole server from config: database (migrated), first admin, object store, metrics, and the HTTP app.
import path from 'node:path';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import { bootstrapFirstAdmin, type BootstrapResult } from '../auth/bootstrap.js';
import { openDatabase, type Database } from '../db/database.js';
import { migrateToLatest } from '../db/migrate.js';
import { resolveSecret, type Config } from '../env.js';
import { createMetrics } from '../metrics.js';
import { FsObjectStore } from '../storage/fs/fs-store.js';
import type { ObjectStore } from '../storage/object-store.js';
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

/** The object store the config names. */
async function openStore(config: Config, secret: string): Promise<ObjectStore> {
  if (config.storage.kind === 'fs') {
    return new FsObjectStore({
      kind: 'fs',
      dir: config.storage.dir,
      secret,
      publicBaseUrl: config.publicUrl,
    }).init();
  }
  // TODO(storage factory): switch to the storage module's factory once it lands; it owns the s3 backend.
  throw new Error('FIELDVAULT_STORAGE=s3 is not wired into the server yet');
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
    const store = await openStore(config, secret);
    const metrics = createMetrics(opened.pool ? { pool: opened.pool } : {});
    const app = await buildApp({ config, logger, db, store, metrics });
    return {
      app,
      db,
      store,
      bootstrap,
      close: async () => {
        await app.close();
        await db.destroy();
      },
    };
  } catch (err) {
    await db.destroy();
    throw err;
  }
}
