// Test databases per test file: a fresh PGlite or a fresh database on the test PostgreSQL; migrated ones are copies of the run's templates.
import { randomBytes } from 'node:crypto';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { inject } from 'vitest';
import { openDatabase, type Database } from '../db/database.js';

declare module 'vitest' {
  // Also declared in db-global-setup.ts (which provides it); repeated here so this file type-checks
  // on its own when a test-only module elsewhere pulls it into a build.
  export interface ProvidedContext {
    pgUrl: string;
    pgTemplate: string;
    pgliteTemplates: { empty: string; migrated: string };
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

/** A fresh PostgreSQL database: empty, or a copy of `template`. */
async function createPostgresDatabase(template?: string): Promise<TestDatabase> {
  // Files run in parallel: each gets its own database, named with its creation time for stale cleanup.
  const name = `fvtest_${Date.now()}_${randomBytes(4).toString('hex')}`;
  await admin((c) =>
    c.query(`create database "${name}"${template ? ` template "${template}"` : ''}`),
  );
  const url = new URL(inject('pgUrl'));
  url.pathname = `/${name}`;
  const { db } = await openDatabase({ url: url.toString(), poolMax: 10 });
  return {
    db,
    kind: 'postgres',
    url: url.toString(),
    destroy: async () => {
      await db.destroy();
      await admin((c) => c.query(`drop database if exists "${name}" with (force)`));
    },
  };
}

/** Create an empty database of the given kind (no migrations). */
export async function createEmptyDatabase(kind: DbKind): Promise<TestDatabase> {
  return kind === 'postgres' ? createPostgresDatabase() : createPgliteDatabase('empty');
}

/** Fill `dir` with a copy of the run's migrated PGlite data dir: PGlite then starts without initdb (15-45 s under load). */
export async function copyMigratedPgliteDir(dir: string): Promise<void> {
  await cp(inject('pgliteTemplates').migrated, dir, { recursive: true });
}

/** A PGlite on a copy of one of the run's template data dirs (the embedded server's own on-disk mode). */
async function createPgliteDatabase(template: 'empty' | 'migrated'): Promise<TestDatabase> {
  const parent = await mkdtemp(path.join(os.tmpdir(), 'fv-pglite-'));
  const dir = path.join(parent, 'db');
  await cp(inject('pgliteTemplates')[template], dir, { recursive: true });
  const opened = await openDatabase({ pgliteDir: dir });
  return {
    db: opened.db,
    kind: 'pglite',
    destroy: async () => {
      await opened.close();
      await rm(parent, { recursive: true, force: true });
    },
  };
}

/**
 * Create a database of the given kind with every migration applied, as a copy of what db-global-setup.ts
 * migrated once per run (PostgreSQL `create database … template`, PGlite a copied data dir): far cheaper
 * than a fresh database plus 19 migrations.
 */
export async function createTestDatabase(kind: DbKind): Promise<TestDatabase> {
  return kind === 'postgres'
    ? createPostgresDatabase(inject('pgTemplate'))
    : createPgliteDatabase('migrated');
}
