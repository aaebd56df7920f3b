// Applies the migration set with Kysely's Migrator: on start-up, from `fieldvault migrate`, and in tests (up and down).
import {
  Migrator,
  NO_MIGRATIONS,
  type MigrationProvider,
  type MigrationResultSet,
} from 'kysely/migration';
import type { Kysely } from 'kysely';
import { migrations } from './migrations/index.js';

const provider: MigrationProvider = { getMigrations: () => Promise.resolve(migrations) };

/* eslint-disable @typescript-eslint/no-explicit-any -- the migrator works on any schema */
function migrator(db: Kysely<any>): Migrator {
  // Migrator takes a Postgres advisory lock, so replicas starting together migrate once.
  return new Migrator({ db, provider });
}

function check(result: MigrationResultSet): string[] {
  if (result.error) {
    const failed = result.results?.find((r) => r.status === 'Error');
    throw new Error(`migration ${failed?.migrationName ?? '(unknown)'} failed`, {
      cause: result.error,
    });
  }
  return (result.results ?? []).map(
    (r) => `${r.direction === 'Up' ? 'applied' : 'reverted'} ${r.migrationName}`,
  );
}

/** Bring the schema to the latest migration; returns one line per migration applied. */
export async function migrateToLatest(db: Kysely<any>): Promise<string[]> {
  return check(await migrator(db).migrateToLatest());
}

/** Every known migration with the time it was applied (null when pending). */
export async function migrationStatus(
  db: Kysely<any>,
): Promise<{ name: string; executedAt: Date | null }[]> {
  const all = await migrator(db).getMigrations();
  return all.map((m) => ({ name: m.name, executedAt: m.executedAt ?? null }));
}

/** Revert every migration (tests prove each `down` really undoes its `up`). */
export async function migrateDownToEmpty(db: Kysely<any>): Promise<string[]> {
  return check(await migrator(db).migrateTo(NO_MIGRATIONS));
}
/* eslint-enable @typescript-eslint/no-explicit-any */
