// Test databases: a fresh in-memory PGlite, or a fresh database on the test PostgreSQL, per test file.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { openDatabase, type Database } from '../db/database.js';
import { migrateToLatest } from '../db/migrate.js';

declare module 'vitest' {
  // Also declared in db-global-setup.ts (which provides it); repeated here so this file type-checks
  // on its own when a test-only module elsewhere pulls it into a build.
  export interface ProvidedContext {
    pgUrl: string;
  }
}

export const DB_KINDS = ['pglite', 'postgres'] as const;
export type DbKind = (typeof DB_KINDS)[number];

export interface TestDatabase {
  db: Database;
  kind: DbKind;
  /** Connection URL of the fresh PostgreSQL database (postgres only). */
  url?: string;
  destroy(): Promise<void>;
}

async function admin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: inject('pgUrl') });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Create an empty database of the given kind (no migrations). */
export async function createEmptyDatabase(kind: DbKind): Promise<TestDatabase> {
  if (kind === 'pglite') {
    const opened = await openDatabase({});
    return { db: opened.db, kind, destroy: () => opened.close() };
  }
  // Files run in parallel: each gets its own database, named with its creation time for stale cleanup.
  const name = `fvtest_${Date.now()}_${randomBytes(4).toString('hex')}`;
  await admin((c) => c.query(`create database "${name}"`));
  const url = new URL(inject('pgUrl'));
  url.pathname = `/${name}`;
  const { db } = await openDatabase({ url: url.toString(), poolMax: 10 });
  return {
    db,
    kind,
    url: url.toString(),
    destroy: async () => {
      await db.destroy();
      await admin((c) => c.query(`drop database if exists "${name}" with (force)`));
    },
  };
}

/** Create a database of the given kind with every migration applied. */
export async function createTestDatabase(kind: DbKind): Promise<TestDatabase> {
  const test = await createEmptyDatabase(kind);
  await migrateToLatest(test.db);
  return test;
}
