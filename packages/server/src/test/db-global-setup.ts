// Vitest global setup for the `server` project: make sure the test PostgreSQL answers (start the local cluster if needed).
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import pg from 'pg';
import type { TestProject } from 'vitest/node';

const DEFAULT_URL = 'postgres://postgres@127.0.0.1:5432/test';

declare module 'vitest' {
  export interface ProvidedContext {
    pgUrl: string;
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

export default async function setup(project: TestProject): Promise<void> {
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
  project.provide('pgUrl', url);
}
