#!/usr/bin/env node
// The `fieldvault` command line: `migrate` now; reconcile, verify-audit, import, purge and certificate join later.
import path from 'node:path';
import { parseArgs } from 'node:util';
import { openDatabase } from '../db/database.js';
import { migrateToLatest, migrationStatus } from '../db/migrate.js';
import { ConfigError, loadConfig, type Config } from '../env.js';

const USAGE = `Usage: fieldvault <command> [options]

Commands:
  migrate            apply pending database migrations (the server also does this on start)
  migrate --status   list migrations and whether each is applied

Configuration comes from the same environment variables as the server (DATABASE_URL,
FIELDVAULT_DATA_DIR, …); see .env.example.`;

async function withDatabase<T>(
  config: Config,
  fn: (db: Awaited<ReturnType<typeof openDatabase>>['db']) => Promise<T>,
): Promise<T> {
  const opened = await openDatabase(
    config.databaseUrl
      ? { url: config.databaseUrl }
      : { pgliteDir: path.join(config.dataDir, 'pglite') },
  );
  try {
    return await fn(opened.db);
  } finally {
    await opened.close();
  }
}

async function migrate(config: Config, status: boolean): Promise<number> {
  return withDatabase(config, async (db) => {
    if (status) {
      for (const m of await migrationStatus(db))
        console.log(`${m.executedAt ? 'applied' : 'pending'}  ${m.name}`);
      return 0;
    }
    const lines = await migrateToLatest(db);
    console.log(lines.length ? lines.join('\n') : 'database is up to date');
    return 0;
  });
}

async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      status: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const [command] = positionals;
  if (values.help || !command) {
    console.log(USAGE);
    return command || values.help ? 0 : 64;
  }
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      return 78;
    }
    throw err;
  }
  switch (command) {
    case 'migrate':
      return migrate(config, values.status);
    default:
      console.error(`fieldvault: unknown command "${command}"\n\n${USAGE}`);
      return 64;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`fieldvault: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    process.exit(1);
  },
);
