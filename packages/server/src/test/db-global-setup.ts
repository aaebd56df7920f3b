// Vitest global setup for the `server` project: make sure the test PostgreSQL answers (start the local cluster if needed), migrate a template database.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { cp, rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { openDatabase } from '../db/database.js';
import { migrateToLatest } from '../db/migrate.js';

const DEFAULT_URL = 'postgres://postgres@127.0.0.1:5432/test';

declare module 'vitest' {
  export interface ProvidedContext {
    pgUrl: string;
    pgTemplate: string;
    /** PGlite data dirs to copy: `empty` (initdb only) and `migrated` (every migration applied). */
    pgliteTemplates: { empty: string; migrated: string };
  }
}

async function canConnect(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Try the Debian cluster tools once when the default local server is down. */
function startLocalCluster(): void {
  if (!existsSync('/etc/postgresql')) return;
  const version = readdirSync('/etc/postgresql')[0];
  if (!version) return;
  try {
    execFileSync('pg_ctlcluster', ['--skip-systemctl-redirect', version, 'main', 'start'], {
      stdio: 'ignore',
    });
  } catch {
    // Reported below as "not reachable".
  }
}

/**
 * Drop per-file databases left behind by killed runs. Names carry their creation time
 * (`fvtest_{epochMs}_{rand}`); only those over an hour old go, so a concurrent run is never hit.
 */
async function dropStaleDatabases(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ datname: string }>(
      "select datname from pg_database where datname like 'fvtest\\_%'",
    );
    const cutoff = Date.now() - 3_600_000;
    for (const { datname } of rows) {
      const created = Number(datname.split('_')[1]);
      if (!Number.isFinite(created) || created > cutoff) continue;
      await client
        .query(`drop database if exists "${datname}" with (force)`)
        .catch(() => undefined);
    }
  } finally {
    await client.end();
  }
}

async function adminQuery(url: string, query: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(query);
  } finally {
    await client.end();
  }
}

/**
 * Migrate one database per run for test/db.ts to copy (`create database … template`). Named like the per-file
 * databases, so a killed run's template is dropped as stale too; concurrent runs each have their own.
 */
async function createTemplate(url: string): Promise<string> {
  const name = `fvtest_${Date.now()}_template_${randomBytes(4).toString('hex')}`;
  await adminQuery(url, `create database "${name}"`);
  const templateUrl = new URL(url);
  templateUrl.pathname = `/${name}`;
  // A copy needs the template to have no sessions: the pool is closed before any test file starts.
  const { db } = await openDatabase({ url: templateUrl.toString(), poolMax: 1 });
  try {
    await migrateToLatest(db);
  } finally {
    await db.destroy();
  }
  return name;
}

/**
 * PGlite data dirs for test/db.ts to copy, so no test file pays for initdb: one empty, one migrated. In one
 * directory per run (others may share the checkout), removed at teardown.
 */
async function createPgliteTemplates(): Promise<{ root: string; empty: string; migrated: string }> {
  const root = fileURLToPath(
    new URL(`../../.tmp/pglite-templates-${process.pid}`, import.meta.url),
  );
  const empty = path.join(root, 'empty');
  const migrated = path.join(root, 'migrated');
  await rm(root, { recursive: true, force: true });
  await (await openDatabase({ pgliteDir: empty })).close();
  await cp(empty, migrated, { recursive: true });
  const opened = await openDatabase({ pgliteDir: migrated });
  try {
    await migrateToLatest(opened.db);
  } finally {
    await opened.close();
  }
  return { root, empty, migrated };
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const url = process.env.TEST_DATABASE_URL ?? DEFAULT_URL;
  let ok = await canConnect(url);
  if (!ok && !process.env.TEST_DATABASE_URL) {
    startLocalCluster();
    for (let i = 0; i < 50 && !ok; i++) {
      await new Promise((r) => setTimeout(r, 200));
      ok = await canConnect(url);
    }
  }
  if (!ok) {
    throw new Error(`PostgreSQL not reachable at ${url} (start it, or set TEST_DATABASE_URL)`);
  }
  await dropStaleDatabases(url);
  const [template, pglite] = await Promise.all([createTemplate(url), createPgliteTemplates()]);
  project.provide('pgUrl', url);
  project.provide('pgTemplate', template);
  project.provide('pgliteTemplates', { empty: pglite.empty, migrated: pglite.migrated });
  return async () => {
    await adminQuery(url, `drop database if exists "${template}" with (force)`);
    await rm(pglite.root, { recursive: true, force: true });
  };
}
