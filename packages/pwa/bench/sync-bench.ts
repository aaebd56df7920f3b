// Sync benchmark in the page: the app's engine uploading captures from IndexedDB vs plain fetch PUTs of the same sizes.
import { uuidv7 } from '@fieldvault/shared/ids';
import type { UploadBeginOutput } from '@fieldvault/shared/schemas';
import { createMD5 } from 'hash-wasm';
import { deleteDB, openDB } from 'idb';
import { partPlan, partRange } from '@fieldvault/shared/parts';
import type { HashResult, UploadMd5s } from '../src/hash/hash-types';
import { createOutbox } from '../src/outbox/outbox';
import type { CaptureOwner } from '../src/outbox/schema';
import { createAuthApi } from '../src/session/auth-api';
import { systemClock } from '../src/sync/clock';
import { createSyncEngine } from '../src/sync/engine';
import { createSyncLock } from '../src/sync/lock';
import { DEFAULT_SYNC_OPTIONS } from '../src/sync/context';
import { syncUserOf } from '../src/sync/ownership';
import { createTrpcTransport } from '../src/sync/trpc-transport';
import type { SyncTransport } from '../src/sync/transport';
import { MiB, mbPerSecond, randomBytes } from './measure';
import { analyse, createTimeline, timedStore, type Timeline } from './sync-timeline';
import type { PhaseWindow } from './process-cpu';

/** One side-by-side measurement of the upload phase. */
export interface SyncRow {
  what: string;
  bytes: number;
  /** MB/s of the engine's PUT phase (first PUT sent → last PUT answered) and of plain fetch PUTs at concurrency 6. */
  ours: number;
  /**
   * MB/s over only the time at least one engine PUT was in flight (the span minus gaps where every PUT
   * slot waited on the server's begin/complete answers): what the engine's PUT path itself delivers.
   */
  oursWhilePutting: number;
  /** Most engine PUTs in flight at once (the cap is the engine's `totalConcurrency`). */
  maxPutsInFlight: number;
  baseline: number;
  ratio: number;
  /**
   * Diagnostic, not the goal's baseline: MB/s of the same plain PUTs when each body is a Blob read from
   * IndexedDB as its PUT goes (as the engine's are) instead of one held in memory, and the engine's rate
   * against it. Shows how much of the gap is reading and serving IndexedDB-backed Blobs rather than the
   * engine's own work.
   */
  baselineFromIndexedDb: number | string;
  ratioToIndexedDbBaseline: number | null;
  /**
   * Diagnostic floor (see {@link beginWhilePutting}): MB/s of plain PUTs while the server is asked for their
   * `uploads.begin` as the engine asks, and that against the baseline: the most any engine that begins
   * receipts during the upload can reach here.
   */
  beginWhilePutting: number;
  floorRatio: number;
  /** `engine.run()` from start to every capture verified and its bytes deleted. */
  reconnectToVerifiedMs: number;
  /** tRPC procedure calls and HTTP requests to the server (batched calls share one) per capture. */
  rpcsPerReceipt: number;
  httpPerReceipt: number;
  /** Mean latency per receipt of each transport method, ms (`put`: all of a receipt's PUTs). */
  msPerReceipt: string;
  /** Where the PUT phase's time went (see {@link analyse}). */
  timeline: string;
  /** When each side's timed phase ran (epoch ms), for the runner's CPU-per-process report. */
  windows: { plainPuts: PhaseWindow; beginWhilePutting: PhaseWindow; engine: PhaseWindow };
}

/** A `performance.now()` reading as epoch milliseconds (the runner's clock). */
const epochMs = (t: number): number => performance.timeOrigin + t;

/** The app's outbox in this page (the engine runs here drain it). */
export const outbox = createOutbox();
const TARGET = { system: 'accounting' as const, objectType: 'export' };

interface BenchFile {
  blob: Blob;
  hashes: HashResult & UploadMd5s;
  /** Where a PUT gets the bytes when it goes (default: `blob`, held in memory). */
  read?: () => Promise<Blob>;
}

const hex = (bytes: Uint8Array) =>
  Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
const base64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes));

async function md5Of(bytes: Uint8Array): Promise<string> {
  const md5 = await createMD5();
  return base64(md5.update(bytes).digest('binary'));
}

/**
 * The fixture's SHA-256 and upload MD5s, computed here on the bytes in memory: what the app holds by upload
 * time (the MD5s come after "Saved"), without the capture path's hash Workers, which this bench does not
 * measure (the hash bench does) and which may be mid-change in the same checkout.
 */
async function digestsOf(bytes: Uint8Array<ArrayBuffer>): Promise<HashResult & UploadMd5s> {
  const sha256 = hex(new Uint8Array(await crypto.subtle.digest('SHA-256', bytes)));
  const plan = partPlan(bytes.length);
  if (plan.kind === 'single') return { sha256, md5: await md5Of(bytes) };
  const parts = Array.from({ length: plan.partCount }, (_, i) => partRange(plan, i + 1));
  const partMd5s = [];
  for (const { start, end } of parts) partMd5s.push(await md5Of(bytes.subarray(start, end)));
  return { sha256, partMd5s };
}

/** `count` distinct PDF-looking files of `size` bytes sharing one random body (distinct heads: no dedup). */
export async function makeFiles(count: number, size: number, tag: string): Promise<BenchFile[]> {
  const bytes = randomBytes(size);
  const files: BenchFile[] = [];
  for (let i = 0; i < count; i++) {
    const head = new TextEncoder().encode(`%PDF-1.7\n%${tag}-${i}-${uuidv7()}\n`.padEnd(64, '%'));
    bytes.set(head);
    const blob = new Blob([bytes], { type: 'application/pdf' });
    files.push({ blob, hashes: await digestsOf(bytes) });
  }
  return files;
}

function beginInput(file: BenchFile, captureId: string) {
  return {
    captureId,
    filename: `${captureId}.pdf`,
    size: file.blob.size,
    contentType: 'application/pdf',
    sha256: file.hashes.sha256,
    ...(file.hashes.md5 ? { md5: file.hashes.md5 } : {}),
    ...(file.hashes.partMd5s ? { partMd5s: file.hashes.partMd5s } : {}),
    ...TARGET,
    objectId: 'pwa-bench',
    capturedAt: new Date().toISOString(),
  };
}

/** The PUTs of one begun upload: URL, signed headers and the body slice. */
function putsOf(file: BenchFile, begun: UploadBeginOutput): BenchPut[] {
  const read = file.read ?? (() => Promise.resolve(file.blob));
  if (begun.state === 'single') return [{ ...begun.put, body: read }];
  if (begun.state !== 'multipart') throw new Error('bench file unexpectedly verified already');
  // The server's part size may differ from the device's default plan (it decides per object type).
  return begun.parts.map((p) => {
    const start = (p.partNumber - 1) * begun.partSize;
    const end = Math.min(start + begun.partSize, file.blob.size);
    return { url: p.url, headers: p.headers, body: async () => (await read()).slice(start, end) };
  });
}

/** One plain PUT: its URL, signed headers and a way to get its body when it goes. */
interface BenchPut {
  url: string;
  headers: Record<string, string>;
  body: () => Promise<Blob>;
}

/** How long a bench PUT may take before the bench fails rather than hangs. */
const PUT_TIMEOUT_MS = 120_000;

/** Sends one plain PUT; a failure names the PUT and whether its body can still be read ("Failed to fetch" says nothing). */
async function sendPut(put: BenchPut, label: string): Promise<void> {
  const body = await put.body();
  const signal = AbortSignal.timeout(PUT_TIMEOUT_MS);
  const res = await fetch(put.url, { method: 'PUT', headers: put.headers, body, signal }).catch(
    async (error: unknown) => {
      const readable = await body.arrayBuffer().then(
        (b) => `its body reads (${b.byteLength} bytes)`,
        (e: unknown) => `its body no longer reads (${String(e)})`,
      );
      throw new Error(`${label} failed: ${String(error)}; ${readable}`);
    },
  );
  if (!res.ok) throw new Error(`${label} answered ${res.status}`);
}

/**
 * Maps `items` 3 at a time, one tRPC batch each (the baseline's begins are not timed). Large batches of
 * begins once came back as an answer the tRPC client could not read ("Unable to transform response"); the
 * engine's batches of 8 (`callBatchSize`) have not shown it.
 */
async function inBatches<T, R>(items: T[], fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += 3)
    out.push(...(await Promise.all(items.slice(i, i + 3).map(fn))));
  return out;
}

/**
 * Writes the disk's dirty pages out (`sync` on the runner's side) before a timed phase: the capture files
 * this bench just wrote to IndexedDB would otherwise be flushed by the kernel at some moment of a later
 * phase, slowing storage's own writes in whichever side runs then. A page opened without the runner skips it.
 */
export async function settleDisk(): Promise<void> {
  await (window as { fvSettleDisk?: () => Promise<void> }).fvSettleDisk?.();
}

/** Baseline: `begin` each file (not timed), then only the PUTs, with plain fetch, 6 at a time. */
async function plainPuts(files: BenchFile[]): Promise<PhaseWindow> {
  const transport = createTrpcTransport();
  const begun = await inBatches(files, (f) => transport.begin(beginInput(f, uuidv7())));
  const puts = files.flatMap((f, i) => putsOf(f, begun[i] as UploadBeginOutput));
  await settleDisk();
  const start = performance.now();
  let next = 0;
  const lane = async () => {
    while (next < puts.length) {
      const at = next++;
      const put = puts[at];
      if (!put) return;
      await sendPut(put, `baseline PUT ${at + 1} of ${puts.length}`);
    }
  };
  await Promise.all(Array.from({ length: 6 }, lane));
  // The baseline's sessions are left open: the bucket is thrown away, and the server's stale-upload job reaps them.
  return { from: epochMs(start), to: epochMs(performance.now()) };
}

/** A promise to wait on until the next `notify()` (each notify wakes every waiter once). */
function createSignal() {
  let wake = () => {};
  let next = new Promise<void>((resolve) => (wake = resolve));
  return {
    wait: () => next,
    notify: () => {
      wake();
      next = new Promise<void>((resolve) => (wake = resolve));
    },
  };
}

/**
 * Diagnostic floor, not the goal's baseline: what any uploader that begins receipts while it uploads pays on
 * this machine. `uploads.begin` goes as the engine sends it (`callBatchSize` to an HTTP request, `callBatches`
 * requests in flight, at most `fileConcurrency` begun and not yet sent), each begun file is PUT at once with
 * plain fetch at concurrency 6, bodies in memory, nothing written on the device. Times the PUTs like the
 * engine's phase (first PUT sent → last PUT answered).
 */
async function beginWhilePutting(files: BenchFile[]): Promise<PhaseWindow> {
  const { callBatchSize, callBatches, fileConcurrency, totalConcurrency } = DEFAULT_SYNC_OPTIONS;
  const transport = createTrpcTransport();
  const ready: BenchPut[] = [];
  const changed = createSignal();
  let begun = 0;
  let beginsLeft = Math.ceil(files.length / callBatchSize);
  let firstPut = Infinity;
  let lastPut = 0;
  const beginLane = async () => {
    for (;;) {
      while (ready.length >= fileConcurrency) await changed.wait();
      // The other lane may have taken the last batch meanwhile.
      if (begun >= files.length) return;
      const batch = files.slice(begun, begun + callBatchSize);
      begun += batch.length;
      // Asked for in one tick: the batch link sends them as one HTTP request.
      const answers = await Promise.all(batch.map((f) => transport.begin(beginInput(f, uuidv7()))));
      batch.forEach((f, i) => ready.push(...putsOf(f, answers[i] as UploadBeginOutput)));
      beginsLeft--;
      changed.notify();
    }
  };
  const putLane = async () => {
    for (;;) {
      const put = ready.shift();
      if (!put) {
        if (beginsLeft === 0) return;
        await changed.wait();
        continue;
      }
      changed.notify();
      firstPut = Math.min(firstPut, performance.now());
      await sendPut(put, 'a PUT while begins are asked for');
      lastPut = Math.max(lastPut, performance.now());
    }
  };
  await settleDisk();
  await Promise.all([
    ...Array.from({ length: callBatches }, beginLane),
    ...Array.from({ length: totalConcurrency }, putLane),
  ]);
  return { from: epochMs(firstPut), to: epochMs(lastPut) };
}

/**
 * `files` with each Blob stored in a scratch IndexedDB database and read back as its PUT goes (as the
 * engine reads a receipt's): disk-backed, like the outbox's. In some runs Chromium fails one PUT of these
 * (around the 51st of 200: "Failed to fetch", and the Blob then reads as NotReadableError), whether the
 * Blobs were read up front or as their PUTs go; the engine's own phase has not shown it.
 */
async function viaIndexedDb(
  files: BenchFile[],
): Promise<{ files: BenchFile[]; drop: () => Promise<void> }> {
  const name = `pwa-bench-scratch-${uuidv7()}`;
  const db = await openDB(name, 1, { upgrade: (d) => d.createObjectStore('blobs') });
  for (const [i, file] of files.entries()) await db.put('blobs', file.blob, i);
  const read = (i: number) => async () => (await db.get('blobs', i)) as Blob;
  const drop = async () => {
    db.close();
    await deleteDB(name);
  };
  return { files: files.map((file, i) => ({ ...file, read: read(i) })), drop };
}

/** Queues `files` in the outbox as the capture screen would (already hashed), taken by `owner`. */
export async function queue(files: BenchFile[], owner: CaptureOwner): Promise<void> {
  for (const file of files) {
    const captureId = uuidv7();
    const input = beginInput(file, captureId);
    const capture = {
      captureId,
      target: { ...TARGET, objectId: input.objectId, capturedAt: input.capturedAt },
      filename: input.filename,
      contentType: input.contentType,
      blob: file.blob,
      hashes: file.hashes,
      deviceLabel: 'pwa-bench',
      owner,
    };
    const verify = () => Promise.resolve({ sha256: file.hashes.sha256 });
    await outbox.saveCapture({ capture, now: Date.now(), eventId: uuidv7(), verify });
  }
}

/** The engine's transport with counters: procedure calls, HTTP requests to /trpc, and the PUT phase's span. */
function countingTransport(timeline: Timeline) {
  const stats = {
    calls: 0,
    http: 0,
    firstPut: Infinity,
    lastPut: 0,
    inFlight: 0,
    maxInFlight: 0,
    /** Sum of the intervals with at least one PUT in flight. */
    busyMs: 0,
    busySince: 0,
    ms: {} as Record<string, number>,
  };
  const base = createTrpcTransport({
    fetch: (input, init) => {
      // The transport's PUTs to storage use the same fetch; only server round trips count here.
      const url = String(input instanceof Request ? input.url : input);
      if (!url.includes('/trpc')) return fetch(input, init);
      stats.http++;
      const procedure = /\/trpc\/([^.?,]+\.[^?,]+)/.exec(url)?.[1] ?? 'trpc';
      return timeline.time(`http.${procedure}`, null, () => fetch(input, init));
    },
  });
  /** Which capture a PUT URL belongs to (from the begin answers), for the timeline. */
  const urlOwner = new Map<string, string>();
  const learnUrls = (captureId: string, begun: UploadBeginOutput) => {
    if (begun.state === 'single') urlOwner.set(begun.put.url, captureId);
    if (begun.state === 'multipart') for (const p of begun.parts) urlOwner.set(p.url, captureId);
    return begun;
  };
  // Calls counted, and their latency summed per method (where the time of a receipt goes).
  const counted = <A extends unknown[], R>(name: string, fn: (...args: A) => Promise<R>) => {
    return async (...args: A) => {
      stats.calls++;
      const start = performance.now();
      const first = args[0] as { captureId?: string; sessionId?: string } | undefined;
      const captureId = first?.captureId ?? sessions.get(first?.sessionId ?? '') ?? null;
      try {
        return await timeline.time(name, captureId, () => fn(...args));
      } finally {
        stats.ms[name] = (stats.ms[name] ?? 0) + performance.now() - start;
      }
    };
  };
  const sessions = new Map<string, string>();
  const transport: SyncTransport = {
    begin: counted('begin', async (input, signal) => {
      const begun = learnUrls(input.captureId, await base.begin(input, signal));
      if (begun.state !== 'verified') sessions.set(begun.sessionId, input.captureId);
      return begun;
    }),
    signParts: counted('signParts', (input, signal) => base.signParts(input, signal)),
    listParts: counted('listParts', (input, signal) => base.listParts(input, signal)),
    complete: counted('complete', (input, signal) => base.complete(input, signal)),
    abort: counted('abort', (input) => base.abort(input)),
    pushEvents: counted('pushEvents', (input) => base.pushEvents(input)),
    putBytes: async (request, body, signal) => {
      const start = performance.now();
      stats.firstPut = Math.min(stats.firstPut, start);
      if (stats.inFlight++ === 0) stats.busySince = start;
      stats.maxInFlight = Math.max(stats.maxInFlight, stats.inFlight);
      try {
        const owner = urlOwner.get(request.url) ?? null;
        return await timeline.time('put', owner, () => base.putBytes(request, body, signal));
      } finally {
        stats.lastPut = Math.max(stats.lastPut, performance.now());
        stats.ms['put'] = (stats.ms['put'] ?? 0) + stats.lastPut - start;
        if (--stats.inFlight === 0) stats.busyMs += performance.now() - stats.busySince;
      }
    },
  };
  return { transport, stats };
}

/** The app's engine (as createAppSyncEngine builds it) over `transport`, with every IndexedDB call on `timeline`. */
export function benchEngine(transport: SyncTransport, timeline: Timeline, owner: CaptureOwner) {
  return createSyncEngine({
    transport,
    store: timedStore(outbox, timeline),
    clock: systemClock,
    lock: createSyncLock(),
    random: Math.random,
    deviceLabel: 'pwa-bench',
    owner,
  });
}

/** `count` files of `sizeMiB`: plain PUTs, then the engine draining the same sizes from IndexedDB. */
export async function syncBench(count: number, sizeMiB: number): Promise<SyncRow> {
  const size = sizeMiB * MiB;
  // The runner prints these: a bench that hangs shows in which phase.
  const phase = (what: string) => console.info(`[bench] sync ${count} × ${sizeMiB} MiB: ${what}`);
  phase('plain PUTs');
  const baselineWindow = await plainPuts(await makeFiles(count, size, 'plain'));
  phase('plain PUTs of Blobs read from IndexedDB');
  const scratch = await viaIndexedDb(await makeFiles(count, size, 'plain-idb'));
  // A diagnostic: when Chromium fails one of its PUTs (see viaIndexedDb), the row says why and goes on.
  const fromIdbWindow = await plainPuts(scratch.files).catch((error: unknown) => String(error));
  await scratch.drop();
  phase('plain PUTs while begins are asked for');
  const floorWindow = await beginWhilePutting(await makeFiles(count, size, 'floor'));
  // The runner signed the page in as the bench user: the engine uploads that user's captures only.
  const { owner } = syncUserOf(await createAuthApi().me());
  phase('the engine');
  await queue(await makeFiles(count, size, 'engine'), owner);
  const timeline = createTimeline();
  const { transport, stats } = countingTransport(timeline);
  const engine = benchEngine(transport, timeline, owner);
  await settleDisk();
  const profile = (window as { fvProfile?: (what: string) => Promise<void> }).fvProfile;
  await profile?.(`start`);
  const start = performance.now();
  const result = await engine.run();
  const totalMs = performance.now() - start;
  await profile?.(`stop engine-${count}x${sizeMiB}MiB`);
  if (result.uploaded !== count || result.status !== 'idle') {
    const errors = (await outbox.listCaptures()).map((c) => c.lastError?.message).filter(Boolean);
    const why = `engine run ended ${result.status} with ${result.uploaded}/${count} verified`;
    throw new Error(`${why}: ${errors.join('; ')}`);
  }
  const bytes = count * size;
  const ours = mbPerSecond(bytes, stats.lastPut - stats.firstPut);
  const baseline = mbPerSecond(bytes, baselineWindow.to - baselineWindow.from);
  const baselineFromIndexedDb =
    typeof fromIdbWindow === 'string'
      ? `failed: ${fromIdbWindow}`
      : mbPerSecond(bytes, fromIdbWindow.to - fromIdbWindow.from);
  const floor = mbPerSecond(bytes, floorWindow.to - floorWindow.from);
  return {
    what: `${count} × ${sizeMiB} MiB: engine from IndexedDB vs plain fetch PUTs (concurrency 6)`,
    bytes,
    ours,
    baseline,
    ratio: ours / baseline,
    baselineFromIndexedDb,
    ratioToIndexedDbBaseline:
      typeof baselineFromIndexedDb === 'number' ? ours / baselineFromIndexedDb : null,
    beginWhilePutting: floor,
    floorRatio: floor / baseline,
    oursWhilePutting: mbPerSecond(bytes, stats.busyMs),
    maxPutsInFlight: stats.maxInFlight,
    reconnectToVerifiedMs: totalMs,
    rpcsPerReceipt: stats.calls / count,
    httpPerReceipt: stats.http / count,
    msPerReceipt: Object.entries(stats.ms)
      .map(([name, ms]) => `${name} ${(ms / count).toFixed(0)}`)
      .join(' '),
    timeline: analyse(timeline, DEFAULT_SYNC_OPTIONS.totalConcurrency),
    windows: {
      plainPuts: baselineWindow,
      beginWhilePutting: floorWindow,
      engine: { from: epochMs(stats.firstPut), to: epochMs(stats.lastPut) },
    },
  };
}
