// reconcile bench: objects compared per second and peak RSS on the fs backend, N objects and N file rows (default 100,000), side by side with the bare listing.
import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { insertOrg, insertUser } from '../src/auth/users.repository.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { reconcile } from '../src/reconcile/reconcile.service.js';
import { keyPaths } from '../src/storage/fs/fs-keys.js';
import type { FsObjectStore } from '../src/storage/index.js';
import { benchConfigAndStore } from './bench-app.js';
import { benchDatabase } from './bench-database.js';
import type { Database } from '../src/db/database.js';
import { recordBenchRow } from '../../../tooling/bench-rows.js';

const N = Number(process.env.BENCH_RECONCILE_OBJECTS ?? 100_000);
const GOAL = 50_000;
const SHA = 'a'.repeat(64);

/** Write `n` objects straight into the fs layout (bytes + sidecar, no fsync: seeding only) and their rows. */
async function seed(db: Database, store: FsObjectStore, n: number): Promise<void> {
  const org = await insertOrg(db, 'Bench');
  const user = await insertUser(db, {
    org_id: org.id,
    email: 'b@bench.test',
    name: 'B',
    role: 'field',
    password_hash: 'x',
  });
  const made = new Set<string>();
  let rows = [];
  for (let i = 0; i < n; i++) {
    const captureId = randomUUID();
    const key = `${org.id}/accounting/receipt/exp-${i % 1000}/2026/01/${captureId}-r${i}.jpg`;
    const { file, meta } = keyPaths(store.layout.root, key);
    const dir = path.dirname(file);
    if (!made.has(dir)) {
      await mkdir(dir, { recursive: true });
      made.add(dir);
    }
    await writeFile(file, 'receipt');
    await writeFile(meta, JSON.stringify({ sha256: SHA, etag: '"x"', contentType: 'image/jpeg' }));
    rows.push({
      org_id: org.id,
      key,
      capture_id: captureId,
      system: 'accounting',
      object_type: 'receipt',
      object_id: `exp-${i % 1000}`,
      original_filename: `r${i}.jpg`,
      safe_filename: `r${i}.jpg`,
      size: 7,
      content_type: 'image/jpeg',
      sha256: SHA,
      status: 'verified' as const,
      uploaded_by: user.id,
      captured_at: new Date('2026-01-01'),
      verified_at: new Date('2026-01-01'),
    });
    if (rows.length === 2000 || i === n - 1) {
      await db.insertInto('files').values(rows).execute();
      rows = [];
    }
  }
}

/**
 * Run `fn` while sampling RSS every 20 ms; seconds taken, the peak RSS in MiB, and the CPU time
 * (user + system, every thread) per object in µs: on a loaded shared machine wall time says how
 * busy the neighbours were, CPU time what the work costs.
 */
async function measured(
  fn: () => Promise<unknown>,
): Promise<{ seconds: number; peakMiB: number; cpuUs: number }> {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  const cpu = process.cpuUsage();
  const started = performance.now();
  await fn();
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  clearInterval(timer);
  const peakMiB = Math.max(peak, process.memoryUsage().rss) / 1048576;
  return { seconds, peakMiB, cpuUs: (used.user + used.system) / N };
}

/** Run the bench and print objects/s, peak RSS and the ratio to a bare listing. */
export async function run(): Promise<void> {
  const bench = await benchDatabase({ prefix: 'fvbench_reconcile', poolMax: 4 });
  const dir = await mkdtemp(path.join(os.tmpdir(), 'fv-reconcile-bench-'));
  try {
    const { db } = bench.opened;
    await migrateToLatest(db);
    const { config, store } = await benchConfigAndStore(dir);
    await seed(db, store, N);
    const listing = await measured(async () => {
      for await (const o of store.list('')) void o;
    });
    const deps = { db, store, config, clock: () => new Date(), log: pino({ level: 'silent' }) };
    let report: Awaited<ReturnType<typeof reconcile>>['report'] | undefined;
    const rec = await measured(async () => {
      report = (
        await reconcile({
          ...deps,
          signal: new AbortController().signal,
          orgId: null,
          repair: false,
          all: false,
        })
      ).report;
    });
    const rate = N / rec.seconds;
    console.log(
      `reconcile (dry run) of ${N} objects against ${N} rows, fs backend, ${bench.label}; ${os.availableParallelism()} CPUs, load ${os.loadavg()[0]?.toFixed(1)}`,
    );
    console.log(
      `  bare listing        ${(N / listing.seconds).toFixed(0).padStart(8)} objects/s   peak RSS ${listing.peakMiB.toFixed(0)} MiB   CPU ${listing.cpuUs.toFixed(1)} µs/object`,
    );
    console.log(
      `  reconcile           ${rate.toFixed(0).padStart(8)} objects/s   peak RSS ${rec.peakMiB.toFixed(0)} MiB   CPU ${rec.cpuUs.toFixed(1)} µs/object (${(1e6 / rec.cpuUs).toFixed(0)} objects per CPU-second)   (${(listing.seconds / rec.seconds).toFixed(2)}× the listing's rate; goal ≥ ${GOAL}/s: ${rate >= GOAL ? 'met' : 'NOT met'})`,
    );
    recordBenchRow({
      suite: 'reconcile',
      figure: `reconcile dry run, ${N.toLocaleString('en')} objects, fs`,
      ours: rate,
      unit: 'objects/s',
      reference: { name: 'bare listing', value: N / listing.seconds },
      ratio: listing.seconds / rec.seconds,
      goal: { kind: 'at-least', value: GOAL },
    });
    console.log(`  findings: ${JSON.stringify(report?.counts)} (expected all 0)`);
  } finally {
    await bench.drop();
    await rm(dir, { recursive: true, force: true });
  }
}
