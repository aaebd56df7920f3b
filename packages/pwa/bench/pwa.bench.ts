// `pnpm bench` for the PWA, in Debian's Chromium: hashing and sync, each printed next to its baseline from the same run.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import path from 'node:path';
import { test, type Page } from 'playwright/test';
import { call } from './bench-call';
import { recordBenchRow, type BenchGoal } from '../../../tooling/bench-rows';
import { BENCH_ADMIN, startBenchServer, type BenchServer } from './bench-server';
import { formatCpuPerItem, formatPhaseCpu, startCpuSampler } from './process-cpu';
import type { SyncRow } from './sync-bench';

/** A printed row: what, the app's rate, the baseline's, and their ratio (plus any extras). */
interface Row {
  what: string;
  ours: number;
  baseline: number;
  ratio: number;
}

const QUICK = process.env.BENCH_QUICK === '1';
/** `hash` or `sync` runs one part only (BENCH_ONLY=sync pnpm bench). */
const ONLY = process.env.BENCH_ONLY;
const PORT = Number(process.env.PWA_BENCH_PORT ?? 4390);

/** Prints the rows under their title and records each for the `pnpm bench` table. */
function print(title: string, rows: Row[], goal: { text: string; goal: BenchGoal }): void {
  for (const r of rows)
    recordBenchRow({
      suite: 'pwa',
      figure: r.what,
      ours: r.ours,
      unit: 'MB/s',
      reference: { name: 'same-run baseline', value: r.baseline },
      ratio: r.ratio,
      goal: goal.goal,
    });
  const lines = rows.map((r) => {
    const { what, ours, baseline, ratio, ...extra } = r as Row & Record<string, unknown>;
    const extras = Object.entries(extra)
      .filter(([k]) => k !== 'bytes')
      .map(([k, v]) => `${k} ${typeof v === 'number' ? v.toFixed(2) : String(v)}`)
      .join(', ');
    const rates = `${ours.toFixed(0)} vs ${baseline.toFixed(0)} MB/s`;
    return `  ${what}\n    ${rates} → ratio ${ratio.toFixed(2)}×${extras ? `; ${extras}` : ''}`;
  });
  process.stdout.write(`\n== ${title} (goal ${goal.text}) ==\n${lines.join('\n')}\n`);
}

const REPORTED = {
  text: 'reported: not a goal, shown so nothing is hidden',
  goal: { kind: 'none' },
} as const;

async function hashSuites(page: Page): Promise<void> {
  const receiptSizes = QUICK ? [1, 10] : [1, 5, 10, 25];
  const receipts = await call(page, 'hashReceipts', [receiptSizes, QUICK ? 5 : 9]);
  // Each size gives the goal's row (like for like: vs the native digest of the same Blob, read by the page)
  // and a reported one (vs the digest of the bytes already in memory: what reading the Blob costs, shown).
  print(
    'hash at capture, receipt sizes, both sides start from the same Blob',
    receipts.filter((_, i) => i % 2 === 0),
    {
      text: '≥ 0.9× subtle.digest of the same Blob',
      goal: { kind: 'ratio-at-least', value: 0.9 },
    },
  );
  print(
    'hash at capture vs the digest of bytes already in memory (no read in the baseline)',
    receipts.filter((_, i) => i % 2 === 1),
    REPORTED,
  );
  print(
    'hash at capture, receipt-sized Files on disk (as the camera gives them)',
    await call(page, 'hashReceiptFiles', [receiptSizes, QUICK ? 5 : 9]),
    REPORTED,
  );
  const [capture, background, readOnly] = await call(page, 'hashLargeFile', [QUICK ? 64 : 1024]);
  if (!capture || !background || !readOnly) throw new Error('hashLargeFile returned no rows');
  print('hash at capture, large disk-backed file', [capture], {
    text: '≥ 0.9× hash-wasm compute-only, heap < 64 MiB',
    goal: { kind: 'ratio-at-least', value: 0.9 },
  });
  const md5s = await call(page, 'md5Receipts', [[receiptSizes.at(-1) ?? 10], 5]);
  print('upload MD5s after "Saved" (background)', [...md5s, background], REPORTED);
  print('large file, diagnostic', [readOnly], REPORTED);
}

async function syncSuites(page: Page, server: BenchServer): Promise<void> {
  const login = await page.request.post(`${server.baseURL}/trpc/auth.login`, {
    headers: { 'x-fieldvault-csrf': '1' },
    data: BENCH_ADMIN,
  });
  if (!login.ok()) throw new Error(`bench sign-in failed: HTTP ${login.status()}`);
  const title = `sync upload phase into ${server.storage}, server on ${server.database}`;
  const goal = {
    text: '≥ 0.95× plain PUTs, ≤ 2 HTTP/receipt',
    goal: { kind: 'ratio-at-least', value: 0.95 },
  } as const;
  // CPU by process over each side's phase: what the engine's protocol work costs the machine beside the bytes.
  const sampler = startCpuSampler(server.pid);
  const withCpu = ({ windows, ...row }: SyncRow) => {
    const cpuOf = (w: (typeof windows)['engine']) =>
      formatPhaseCpu(sampler.within(w), w, row.bytes, cpus().length);
    return {
      ...row,
      cpuPlainPuts: cpuOf(windows.plainPuts),
      cpuBeginWhilePutting: cpuOf(windows.beginWhilePutting),
      cpuEngine: cpuOf(windows.engine),
    };
  };
  // Printed one by one, so a failure later still leaves the earlier figures.
  const receipts = await call(page, 'syncBench', [QUICK ? 20 : 200, 2]);
  print(title, [withCpu(receipts)], goal);
  recordBenchRow({
    suite: 'pwa',
    figure: `sync ${receipts.what.split(':')[0] ?? ''}: HTTP requests to the server per receipt`,
    ours: receipts.httpPerReceipt,
    unit: 'requests',
    goal: { kind: 'at-most', value: 2 },
  });
  print(title, [withCpu(await call(page, 'syncBench', [1, QUICK ? 32 : 256]))], goal);
  // Diagnostic: the same engine with nothing on the network, so the device's own share of a run shows.
  const count = QUICK ? 20 : 200;
  const device = await call(page, 'syncDeviceBench', [count, 2]);
  const deviceCpu = formatCpuPerItem(sampler.within(device.window), count, 'receipt');
  // Diagnostic: what each kind of IndexedDB request costs the browser's processes on its own.
  const idbSteps = await call(page, 'idbCostBench', [count]);
  sampler.stop();
  process.stdout.write(
    `\n== sync, device side only (reported) ==\n  ${device.what}\n    ${device.runMs.toFixed(0)} ms, ` +
      `${device.msPerReceipt.toFixed(1)} ms per receipt; CPU ${deviceCpu}; ${device.timeline}\n`,
  );
  for (const s of idbSteps)
    process.stdout.write(
      `  IndexedDB, ${s.step}: ${(s.ms / s.count).toFixed(2)} ms per request; CPU ` +
        `${formatCpuPerItem(sampler.within(s.window), s.count, 'request')}\n`,
    );
}

test('pwa benchmarks', async ({ page }) => {
  const server = await startBenchServer(PORT);
  process.stdout.write(
    `bench server up at ${server.baseURL} (${server.storage}, ${server.database})\n`,
  );
  try {
    // The sync bench flushes the disk's dirty pages (its own IndexedDB writes) before each timed phase.
    await page.exposeFunction('fvSettleDisk', () => execFileSync('sync'));
    // BENCH_RENDERER_PROFILE=<dir>: a V8 CPU profile of the page over each engine run, written there.
    const profileDir = process.env.BENCH_RENDERER_PROFILE;
    if (profileDir) {
      const cdp = await page.context().newCDPSession(page);
      await cdp.send('Profiler.enable');
      await page.exposeFunction('fvProfile', async (what: string) => {
        if (what === 'start') return void (await cdp.send('Profiler.start'));
        const { profile } = await cdp.send('Profiler.stop');
        const name = what.replace(/^stop /, '');
        writeFileSync(path.join(profileDir, `${name}.cpuprofile`), JSON.stringify(profile));
      });
    }
    page.on('console', (message) => {
      if (message.text().startsWith('[bench]')) process.stderr.write(`${message.text()}\n`);
    });
    await page.goto(`${server.baseURL}/index.html`);
    await page.waitForFunction(() => 'fvBench' in window);
    if (ONLY !== 'sync') await hashSuites(page);
    if (ONLY !== 'hash') await syncSuites(page, server);
  } finally {
    await server.stop();
  }
});
