// /metrics of a server wired by createServer: storage calls measured through the real store, pg pool gauges on PostgreSQL.
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseEnv } from '../env.js';
import { createEmptyDatabase, DB_KINDS, type TestDatabase } from '../test/db.js';
import { createServer, type RunningServer } from './server.js';

/** The value of one sample line (`name{labels} value`), or undefined when absent. */
function sample(body: string, series: string): number | undefined {
  const line = body.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

const scrape = async (app: FastifyInstance): Promise<string> =>
  (await app.inject({ url: '/metrics' })).body;

describe.each(DB_KINDS)('/metrics of createServer on %s', (kind) => {
  let dir: string;
  let pgdb: TestDatabase | null;
  let server: RunningServer;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'fv-metrics-'));
    pgdb = kind === 'postgres' ? await createEmptyDatabase('postgres') : null;
    const config = parseEnv({
      FIELDVAULT_DATA_DIR: dir,
      FIELDVAULT_ADMIN_EMAIL: 'boss@example.com',
      ...(pgdb?.url ? { DATABASE_URL: pgdb.url } : {}),
    });
    server = await createServer(config, pino({ level: 'silent' }));
  });
  afterAll(async () => {
    await server.close();
    await pgdb?.destroy();
    await rm(dir, { recursive: true, force: true });
  });

  it('shows the storage histogram after the /readyz round trip, and a failed call by code', async () => {
    const put =
      'fieldvault_storage_call_duration_seconds_count{operation="putObject",backend="fs",outcome="ok"}';
    const head =
      'fieldvault_storage_call_duration_seconds_count{operation="head",backend="fs",outcome="ok"}';
    expect(sample(await scrape(server.app), put)).toBeUndefined();

    expect((await server.app.inject({ url: '/readyz' })).statusCode).toBe(200);
    const body = await scrape(server.app);
    expect(sample(body, put)).toBe(1);
    expect(sample(body, head)).toBe(1);
    expect(
      sample(
        body,
        'fieldvault_storage_call_duration_seconds_count{operation="delete",backend="fs",outcome="ok"}',
      ),
    ).toBe(1);

    await expect(server.store.getStream('nowhere/at-all.txt')).rejects.toThrow();
    const after = await scrape(server.app);
    expect(
      sample(
        after,
        'fieldvault_storage_errors_total{operation="getStream",backend="fs",code="not_found"}',
      ),
    ).toBe(1);
  });

  it('still serves the fs byte routes behind the instrumented store', async () => {
    const bytes = Buffer.from('metered bytes');
    const signed = await server.store.presignPut('metrics-test/put.txt', {
      size: bytes.length,
      contentType: 'text/plain',
      sha256: createHash('sha256').update(bytes).digest('hex'),
      expiresIn: 60,
    });
    const url = new URL(signed.url);
    const res = await server.app.inject({
      method: 'PUT',
      url: `${url.pathname}${url.search}`,
      headers: signed.headers,
      payload: bytes,
    });
    expect(res.statusCode).toBe(200);
    expect(await server.store.head('metrics-test/put.txt')).toMatchObject({ size: bytes.length });
  });

  // One test for both kinds (no skipped runs): PostgreSQL has a pool to report, PGlite has none.
  it('reports the pg pool gauges at scrape time, and none on PGlite', async () => {
    if (kind === 'pglite') {
      expect(await scrape(server.app)).not.toContain('fieldvault_db_pool_');
      return;
    }
    // Hold one connection checked out while scraping: the pool must show it as not idle.
    await server.db.connection().execute(async (conn) => {
      await sql`select 1`.execute(conn);
      const body = await scrape(server.app);
      const total = sample(body, 'fieldvault_db_pool_total') ?? 0;
      expect(total).toBeGreaterThanOrEqual(1);
      expect(sample(body, 'fieldvault_db_pool_idle')).toBe(total - 1);
      expect(sample(body, 'fieldvault_db_pool_waiting')).toBe(0);
    });
    const released = await scrape(server.app);
    expect(sample(released, 'fieldvault_db_pool_idle')).toBe(
      sample(released, 'fieldvault_db_pool_total'),
    );
  });
});
