// What CLI commands run against: the configured database (migrated) and object store, opened once and closed after.
import path from 'node:path';
import { pino } from 'pino';
import { openDatabase } from '../db/database.js';
import { migrateToLatest } from '../db/migrate.js';
import { resolveSecret, type Config } from '../env.js';
import { storageConfig } from '../http/server.js';
import type { JobDeps } from '../jobs/jobs.types.js';
import { createObjectStore } from '../storage/index.js';

/** Open the database of `config` (PostgreSQL, or the embedded PGlite in the data dir). */
export function openConfiguredDatabase(config: Config) {
  return openDatabase(
    config.databaseUrl
      ? { url: config.databaseUrl }
      : { pgliteDir: path.join(config.dataDir, 'pglite') },
  );
}

/**
 * Run `fn` with the server's collaborators (database migrated to latest, storage, a logger on
 * stderr so stdout stays the command's output), closing the database afterwards.
 */
export async function withServices<T>(
  config: Config,
  fn: (deps: JobDeps) => Promise<T>,
): Promise<T> {
  const opened = await openConfiguredDatabase(config);
  try {
    await migrateToLatest(opened.db);
    const log = pino({ level: config.logLevel }, pino.destination(2));
    const store = await createObjectStore(storageConfig(config, await resolveSecret(config)));
    return await fn({ db: opened.db, store, config, clock: () => new Date(), log });
  } finally {
    await opened.close();
  }
}
