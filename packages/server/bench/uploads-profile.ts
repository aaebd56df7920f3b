// Where a begin + complete pair's time goes: round trips per call (single worker), and what sessions wait on under the bench's concurrency.
// Run: `pnpm -F @fieldvault/server exec tsx --conditions=source bench/uploads-profile.ts` (needs PostgreSQL; BENCH_DURATION_MS, BENCH_CONCURRENCY apply).
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { pino } from 'pino';
import { createCaller } from '../src/app-router.js';
import { insertOrg, insertUser } from '../src/auth/users.repository.js';
import type { DB } from '../src/db/schema.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { createMetrics } from '../src/metrics.js';
import { createInnerContext, type SessionInfo } from '../src/trpc/context.js';
import { benchConfigAndStore } from './bench-app.js';
import { BENCH_PG_URL } from './bench-database.js';

const PAIRS = Number(process.env.BENCH_PROFILE_PAIRS ?? 200);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32);
const DURATION_MS = Number(process.env.BENCH_DURATION_MS ?? 5_000);
const ORGS = 16;

/** Every statement a pooled client sends, by phase: count and milliseconds spent waiting for answers. */
class Tally {
  phase = 'setup';
  readonly byPhase = new Map<string, Map<string, { n: number; ms: number }>>();
  record(text: string, ms: number): void {
    const shape = text.replace(/\s+/g, ' ').slice(0, 90);
    const phase = this.byPhase.get(this.phase) ?? new Map<string, { n: number; ms: number }>();
    this.byPhase.set(this.phase, phase);
    const t = phase.get(shape) ?? { n: 0, ms: 0 };
    t.n++;
    t.ms += ms;
    phase.set(shape, t);
  }
}

/** A pg pool whose clients report each query's text and latency to `tally`. */
function countingPool(url: string, tally: Tally, max: number): pg.Pool {
  const pool = new pg.Pool({
    connectionString: url,
    max,
    // bigint columns as numbers, as openDatabase does.
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary'): unknown =>
        oid === 20
          ? Number
          : pg.types.getTypeParser(oid, format ?? 'text')) as typeof pg.types.getTypeParser,
    },
  });
  // The database is dropped at the end with its sessions terminated; idle clients must not crash the run.
  pool.on('error', () => undefined);
  pool.on('connect', (client) => {
    const original = client.query.bind(client) as (...a: unknown[]) => Promise<unknown>;
    (client as unknown as { query: (...a: unknown[]) => Promise<unknown> }).query = async (
      ...args: unknown[]
    ) => {
      const first = args[0];
      const text = typeof first === 'string' ? first : ((first as { text?: string }).text ?? '?');
      const t0 = performance.now();
      try {
        return await original(...args);
      } finally {
        tally.record(text, performance.now() - t0);
      }
    };
  });
  return pool;
}

async function seed(db: Kysely<DB>): Promise<SessionInfo[]> {
  const out: SessionInfo[] = [];
  for (let i = 0; i < ORGS; i++) {
    const org = await insertOrg(db, `Profile ${i}`);
    const user = await insertUser(db, {
      org_id: org.id,
      email: `p${i}@bench.test`,
      name: 'P',
      role: 'field',
      password_hash: 'x',
    });
    out.push({
      sessionId: randomUUID(),
      userId: user.id,
      orgId: org.id,
      orgName: org.name,
      role: 'field',
      email: user.email,
      name: user.name,
      deviceLabel: 'bench',
      expiresAt: new Date(Date.now() + 3600_000),
    });
  }
  return out;
}

/** CPU seconds (user + system) all PostgreSQL server processes on this machine have used so far (Linux /proc). */
async function postgresCpuSeconds(): Promise<number> {
  const tick = 100; // USER_HZ on Linux
  let total = 0;
  for (const pid of await readdir('/proc').catch(() => [] as string[])) {
    if (!/^\d+$/.test(pid)) continue;
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
    const close = stat.lastIndexOf(')');
    if (!stat.slice(0, close).includes('(postgres')) continue;
    const fields = stat.slice(close + 2).split(' ');
    total += (Number(fields[11]) + Number(fields[12])) / tick;
  }
  return total;
}

function report(tally: Tally, phase: string, calls: number): void {
  const rows = [...(tally.byPhase.get(phase) ?? new Map<string, { n: number; ms: number }>())];
  const total = rows.reduce((s, [, t]) => s + t.n, 0);
  const ms = rows.reduce((s, [, t]) => s + t.ms, 0);
  console.log(
    `\n${phase}: ${(total / calls).toFixed(1)} round trips per call, ${(ms / calls).toFixed(2)} ms in the database per call`,
  );
  for (const [shape, t] of rows.sort((a, b) => b[1].n - a[1].n)) {
    console.log(
      `  ${(t.n / calls).toFixed(2).padStart(5)} × ${(t.ms / t.n).toFixed(2)} ms  ${shape}`,
    );
  }
}

async function main(): Promise<void> {
  const admin = new pg.Client({ connectionString: BENCH_PG_URL });
  await admin.connect();
  const name = `fvbench_profile_${Date.now()}`;
  await admin.query(`create database "${name}"`);
  const url = new URL(BENCH_PG_URL);
  url.pathname = `/${name}`;
  const tally = new Tally();
  const pool = countingPool(url.toString(), tally, CONCURRENCY + 4);
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  const dir = await mkdtemp(path.join(os.tmpdir(), 'fv-profile-'));
  try {
    await migrateToLatest(db);
    const sessions = await seed(db);
    const { config, store } = await benchConfigAndStore(dir);
    const deps = {
      db,
      store,
      config,
      clock: () => new Date(),
      log: pino({ level: 'silent' }),
      metrics: createMetrics(),
    };
    const meta = { ip: '127.0.0.1', userAgent: 'bench' };
    const callers = sessions.map((session) =>
      createCaller(createInnerContext({ deps, session, meta })),
    );
    const body = randomBytes(4096);
    body.set([0xff, 0xd8, 0xff, 0xe0], 0);
    const sha256 = createHash('sha256').update(body).digest('hex');
    const spent = { begin: 0, put: 0, complete: 0 };
    const pair = async (w: number, phases: boolean) => {
      const t0 = performance.now();
      const session = sessions[w % ORGS] as SessionInfo;
      const caller = callers[w % ORGS] as (typeof callers)[number];
      const captureId = randomUUID();
      if (phases) tally.phase = 'begin';
      const begun = await caller.uploads.begin({
        captureId,
        filename: 'r.jpg',
        size: body.length,
        contentType: 'image/jpeg',
        sha256,
        system: 'accounting',
        objectType: 'receipt',
        objectId: 'bench',
        capturedAt: '2026-03-01T09:00:00.000Z',
      });
      if (begun.state !== 'single') throw new Error(begun.state);
      const t1 = performance.now();
      const key = `${session.orgId}/accounting/receipt/bench/2026/03/${captureId}-r.jpg`;
      await store.putObject(key, body, { contentType: 'image/jpeg' });
      if (phases) tally.phase = 'complete';
      const t2 = performance.now();
      const done = await caller.uploads.complete({ sessionId: begun.sessionId });
      if (done.state !== 'verified') throw new Error(done.state);
      spent.begin += t1 - t0;
      spent.put += t2 - t1;
      spent.complete += performance.now() - t2;
    };
    for (let i = 0; i < PAIRS; i++) await pair(i, true);
    const perPair = (n: number) =>
      `begin ${(spent.begin / n).toFixed(1)} ms, put ${(spent.put / n).toFixed(1)} ms, complete ${(spent.complete / n).toFixed(1)} ms per pair`;
    console.log(`one worker: ${perPair(PAIRS)}`);
    Object.assign(spent, { begin: 0, put: 0, complete: 0 });
    report(tally, 'begin', PAIRS);
    report(tally, 'complete', PAIRS);

    // Under the bench's concurrency: sample what the database's sessions are doing every 5 ms.
    tally.phase = 'concurrent';
    const waits = new Map<string, number>();
    let samples = 0;
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        const { rows } = await admin.query<{ state: string; w: string | null; q: string }>(
          `select state, wait_event_type || ':' || wait_event as w, left(query, 60) as q
             from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()`,
          [name],
        );
        samples++;
        for (const r of rows) {
          const k = `${r.state} ${r.w ?? '-'}${r.w?.startsWith('Lock') ? ` ${r.q.replace(/\s+/g, ' ')}` : ''}`;
          waits.set(k, (waits.get(k) ?? 0) + 1);
        }
        await new Promise((r) => setTimeout(r, 5));
      }
    })();
    let n = 0;
    const cpu0 = process.cpuUsage();
    const pg0 = await postgresCpuSeconds();
    const started = performance.now();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async (_, w) => {
        while (performance.now() - started < DURATION_MS) {
          await pair(w, false);
          n++;
        }
      }),
    );
    sampling = false;
    await sampler;
    const secs = (performance.now() - started) / 1000;
    const used = process.cpuUsage(cpu0);
    const nodeCpuMs = (used.user + used.system) / 1000;
    const pgCpuMs = ((await postgresCpuSeconds()) - pg0) * 1000;
    console.log(
      `\nconcurrent: ${CONCURRENCY} workers, ${(n / secs).toFixed(0)} pairs/s; database sessions by state/wait (avg per sample of ${samples}):`,
    );
    for (const [k, v] of [...waits.entries()].sort((a, b) => b[1] - a[1]).slice(0, 15)) {
      console.log(`  ${(v / samples).toFixed(2).padStart(6)}  ${k}`);
    }
    console.log(`${CONCURRENCY} workers: ${perPair(n)}`);
    // Per pair, not per call: concurrent begins share transactions (group commit), so this is what a pair costs under load.
    report(tally, 'concurrent', n);
    console.log(
      `CPU per pair: this process ${(nodeCpuMs / n).toFixed(2)} ms, PostgreSQL (every backend, incl. the sampler) ${(pgCpuMs / n).toFixed(2)} ms`,
    );
    console.log(
      `load average: ${os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
    );
  } finally {
    await db.destroy();
    await admin.query(`drop database if exists "${name}" with (force)`);
    await admin.end();
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
