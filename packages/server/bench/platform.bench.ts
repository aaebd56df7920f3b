// Platform bench: login/s (argon2id at OWASP cost) and authenticated no-op queries/s, each as a ratio to a bare Fastify route.
import { availableParallelism } from 'node:os';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { hashPassword } from '../src/auth/password.js';
import { findSessionByTokenHash } from '../src/auth/sessions.repository.js';
import { hashSessionToken } from '../src/auth/session-token.js';
import { insertOrg, insertUser } from '../src/auth/users.repository.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { buildApp } from '../src/http/app.js';
import { createMetrics } from '../src/metrics.js';
import { benchDatabase } from './bench-database.js';
import { load, type LoadResult } from './load.js';
import { benchConfigAndStore } from './bench-app.js';
import { recordBenchRow } from '../../../tooling/bench-rows.js';

const DURATION_MS = Number(process.env.BENCH_DURATION_MS ?? 5_000);
const PASSWORD = 'bench password 1234';

function line(name: string, r: LoadResult, base?: LoadResult): string {
  const ratio = base ? `  ratio ${(r.perSecond / base.perSecond).toFixed(3)} of bare` : '';
  return `${name.padEnd(34)} ${r.perSecond.toFixed(0).padStart(7)} req/s  p50 ${r.p50Ms.toFixed(1)} ms  p99 ${r.p99Ms.toFixed(1)} ms  errors ${r.errors}${ratio}`;
}

export async function run(): Promise<void> {
  const { opened, label, drop } = await benchDatabase({ prefix: 'fvbench' });
  const dir = await mkdtemp(path.join(os.tmpdir(), 'fv-bench-'));
  const { db } = opened;
  try {
    await migrateToLatest(db);
    const org = await insertOrg(db, 'Bench');
    const hash = await hashPassword(PASSWORD);
    await insertUser(db, {
      org_id: org.id,
      email: 'bench@bench.test',
      name: 'Bench',
      role: 'office',
      password_hash: hash,
    });
    const { config, store } = await benchConfigAndStore(dir);
    const app = await buildApp({
      config,
      logger: pino({ level: 'silent' }),
      db,
      store,
      metrics: createMetrics(opened.pool ? { pool: opened.pool } : {}),
      loginRateLimitPerMinute: 1_000_000,
    });
    // The baseline: a route on the same Fastify instance, with the same hooks (request id, helmet) but no tRPC/DB.
    app.get('/bench/bare', () => ({ ok: true }));
    // The same route plus the one session query auth.me needs: separates database cost from tRPC/middleware cost.
    let tokenHash = '';
    app.get('/bench/sql', async () => ({
      ok: (await findSessionByTokenHash(db, tokenHash)) !== undefined,
    }));
    await app.listen({ port: 0, host: '127.0.0.1' });
    const port = (app.server.address() as AddressInfo).port;

    const loginBody = JSON.stringify({ email: 'bench@bench.test', password: PASSWORD });
    const loginHeaders = { 'content-type': 'application/json', 'x-fieldvault-csrf': '1' };
    const loginRes = await fetch(`http://127.0.0.1:${port}/trpc/auth.login`, {
      method: 'POST',
      headers: loginHeaders,
      body: loginBody,
    });
    const cookie = (loginRes.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    tokenHash = hashSessionToken(cookie.slice(cookie.indexOf('=') + 1));

    const cpus = availableParallelism();
    console.log(
      `database: ${label}; ${cpus} CPUs; ${DURATION_MS} ms per measurement; Node ${process.version}`,
    );
    const bare = await load({
      port,
      method: 'GET',
      path: '/bench/bare',
      concurrency: 32,
      durationMs: DURATION_MS,
    });
    const sqlOnly = await load({
      port,
      method: 'GET',
      path: '/bench/sql',
      concurrency: 32,
      durationMs: DURATION_MS,
    });
    const me = await load({
      port,
      method: 'GET',
      path: '/trpc/auth.me',
      headers: { cookie },
      concurrency: 32,
      durationMs: DURATION_MS,
    });

    const rssBefore = process.memoryUsage().rss;
    let rssPeak = rssBefore;
    const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, process.memoryUsage().rss)), 20);
    const login = await load({
      port,
      method: 'POST',
      path: '/trpc/auth.login',
      headers: loginHeaders,
      body: loginBody,
      concurrency: cpus,
      durationMs: DURATION_MS,
    });
    clearInterval(sampler);

    console.log(line('bare Fastify route', bare));
    console.log(line('bare route + session SQL', sqlOnly, bare));
    console.log(line('auth.me (authenticated query)', me, bare));
    console.log(
      `auth.me vs bare route + the same SQL: ratio ${(me.perSecond / sqlOnly.perSecond).toFixed(3)} (tRPC + cookie + CSRF + zod output)`,
    );
    recordBenchRow({
      suite: 'platform',
      figure: 'auth.me (tRPC + cookie + CSRF + zod) vs the same SQL on a bare route',
      ours: me.perSecond,
      unit: 'req/s',
      reference: { name: 'bare route + session SQL', value: sqlOnly.perSecond },
      ratio: me.perSecond / sqlOnly.perSecond,
      goal: { kind: 'none' },
    });
    console.log(line(`auth.login (argon2id m=19MiB t=2 p=1, ${cpus} parallel)`, login, bare));
    console.log(
      `auth.login memory: RSS ${(rssBefore / 2 ** 20).toFixed(0)} MiB before, peak ${(rssPeak / 2 ** 20).toFixed(0)} MiB (+${((rssPeak - rssBefore) / 2 ** 20).toFixed(0)} MiB)`,
    );
    await app.close();
  } finally {
    await opened.close();
    await drop();
    await rm(dir, { recursive: true, force: true });
  }
}
