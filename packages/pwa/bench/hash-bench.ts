// Hashing benchmarks in the page: the capture SHA-256 against the native digest (receipts) and hash-wasm (large files); the background MD5 pass reported.
import { createMD5 } from 'hash-wasm';
import { createHashClient } from '../src/hash/hash-client';
import { DEFAULT_CHUNK_SIZE, fileSlices, streamSlices } from '../src/hash/slices';
import type { ComputeOnlyRequest } from './compute-only.worker';
import { MiB, mbPerSecond, median, pageHeapBytes, randomBytes } from './measure';

/** One side-by-side measurement. */
export interface HashRow {
  what: string;
  bytes: number;
  /** MB/s of the app's path and of the baseline. */
  ours: number;
  baseline: number;
  ratio: number;
  /** Largest page heap growth seen while the app hashed, in MiB (large files only). */
  heapGrowthMiB?: number;
}

const client = createHashClient();

/** Milliseconds one call of `fn` takes. */
async function timeOnce(fn: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}

/** Median milliseconds of each side, alternated run by run so a change of machine load hits all alike. */
async function alternate<K extends string>(
  runs: number,
  sides: Record<K, () => Promise<unknown>>,
): Promise<Record<K, number>> {
  const entries = Object.entries(sides) as [K, () => Promise<unknown>][];
  for (const [, fn] of entries) await fn();
  const times = new Map<K, number[]>(entries.map(([k]) => [k, []]));
  for (let i = 0; i < runs; i++)
    for (const [k, fn] of entries) times.get(k)?.push(await timeOnce(fn));
  const medians = entries.map(([k]) => [k, median(times.get(k) ?? [])] as const);
  return Object.fromEntries(medians) as Record<K, number>;
}

/**
 * Receipt sizes. The capture hash starts from a Blob (the picked File), so the like-for-like baseline is the
 * native digest given the same Blob: the page reads it (`blob.arrayBuffer()`) and runs `crypto.subtle.digest`
 * — the goal's row. Reported beside it, never hidden: `subtle.digest` on the same bytes already in memory,
 * which no path starting from a File can match at small sizes, as reading the Blob (an IPC round trip to the
 * browser process) costs more than the digest. Sides alternate run by run.
 */
export async function hashReceipts(sizesMiB: number[], runs: number): Promise<HashRow[]> {
  const rows: HashRow[] = [];
  for (const sizeMiB of sizesMiB) {
    const bytes = randomBytes(sizeMiB * MiB);
    const blob = new Blob([bytes]);
    const ms = await alternate(runs, {
      inMemory: () => crypto.subtle.digest('SHA-256', bytes),
      ours: () => client.hash(blob),
      readThenNative: async () => crypto.subtle.digest('SHA-256', await blob.arrayBuffer()),
    });
    const row = { bytes: bytes.length, ours: mbPerSecond(bytes.length, ms.ours) };
    rows.push({
      what: `receipt ${sizeMiB} MiB Blob: capture hash (Worker) vs subtle.digest of the same Blob (page: arrayBuffer() + digest; like for like)`,
      ...row,
      baseline: mbPerSecond(bytes.length, ms.readThenNative),
      ratio: ms.readThenNative / ms.ours,
    });
    rows.push({
      what: `receipt ${sizeMiB} MiB Blob: capture hash (Worker, reads the Blob) vs subtle.digest of bytes already in memory (no read)`,
      ...row,
      baseline: mbPerSecond(bytes.length, ms.inMemory),
      ratio: ms.inMemory / ms.ours,
    });
  }
  return rows;
}

/** `bytes` written to the origin-private file system as `name`, returned as a disk-backed File. */
async function onDisk(name: string, bytes: Uint8Array<ArrayBuffer>): Promise<File> {
  const root = await navigator.storage.getDirectory();
  const handle = await root.getFileHandle(name, { create: true });
  const writable = await handle.createWritable();
  await writable.write(bytes);
  await writable.close();
  return handle.getFile();
}

/**
 * Receipt sizes as a camera or picker gives them: Files on disk (the origin-private file system), not Blobs
 * in memory. The capture hash vs the page's `arrayBuffer()` + `subtle.digest` of the same File, alternated.
 * Reported, to choose the capture path on the Files it really gets.
 */
export async function hashReceiptFiles(sizesMiB: number[], runs: number): Promise<HashRow[]> {
  const rows: HashRow[] = [];
  for (const sizeMiB of sizesMiB) {
    const file = await onDisk(`bench-receipt-${sizeMiB}.bin`, randomBytes(sizeMiB * MiB));
    const ms = await alternate(runs, {
      ours: () => client.hash(file),
      readThenNative: async () => crypto.subtle.digest('SHA-256', await file.arrayBuffer()),
    });
    rows.push({
      what: `receipt ${sizeMiB} MiB File on disk: capture hash (Worker) vs the page's arrayBuffer() + subtle.digest of it`,
      bytes: file.size,
      ours: mbPerSecond(file.size, ms.ours),
      baseline: mbPerSecond(file.size, ms.readThenNative),
      ratio: ms.readThenNative / ms.ours,
    });
  }
  return rows;
}

/** Writes `sizeMiB` of random data to the origin-private file system and returns it as a disk-backed File. */
async function diskFile(sizeMiB: number): Promise<File> {
  const root = await navigator.storage.getDirectory();
  const handle = await root.getFileHandle('bench-large.bin', { create: true });
  const writable = await handle.createWritable();
  const chunk = randomBytes(8 * MiB);
  for (let written = 0; written < sizeMiB; written += 8) await writable.write(chunk);
  await writable.close();
  return handle.getFile();
}

let computeWorker: Worker | null = null;

/**
 * MB/s per run of hash-wasm over a 256 MiB in-memory buffer in 4 MiB updates, compute only (the best a
 * streaming pass can reach), on a Worker thread: the capture hash runs in a Worker, so the baseline does too.
 */
function computeOnly(algorithm: ComputeOnlyRequest['algorithm'], runs: number): Promise<number[]> {
  computeWorker ??= new Worker(new URL('./compute-only.worker.ts', import.meta.url), {
    type: 'module',
  });
  const worker = computeWorker;
  return new Promise((resolve) => {
    worker.addEventListener('message', (e: MessageEvent<number[]>) => resolve(e.data), {
      once: true,
    });
    worker.postMessage({ algorithm, sizeMiB: 256, runs } satisfies ComputeOnlyRequest);
  });
}

/** Runs `pass` once, timing it and sampling the page heap every 50 ms. */
async function timedPass(pass: () => Promise<unknown>) {
  const before = pageHeapBytes();
  let peak = before;
  const sampler = setInterval(() => (peak = Math.max(peak, pageHeapBytes())), 50);
  const start = performance.now();
  await pass();
  const ms = performance.now() - start;
  clearInterval(sampler);
  return { ms, heapGrowthMiB: (peak - before) / MiB };
}

/**
 * A large disk-backed File: the capture hash (hash Worker, the File's byte stream into hash-wasm) vs hash-wasm
 * SHA-256 compute-only on a 256 MiB in-memory buffer in a Worker (measured before and after, the median taken, so a
 * load change during the pass shows in both); then, reported, the background MD5 pass over the same File
 * (MD5 Worker, per-part MD5s) vs hash-wasm MD5 compute-only, and the same File only read (in the page,
 * the same byte-stream reader, nothing hashed) vs the capture pass: near 1× would mean reading, not
 * hashing, bounds the capture pass.
 */
export async function hashLargeFile(sizeMiB: number): Promise<HashRow[]> {
  const file = await diskFile(sizeMiB);
  try {
    const shaBefore = await computeOnly('sha256', 3);
    const capture = await timedPass(() => client.hash(file));
    const shaBaseline = median([...shaBefore, ...(await computeOnly('sha256', 3))]);
    const md5Before = await computeOnly('md5', 3);
    const background = await timedPass(() => client.md5s(file, {}));
    const md5Baseline = median([...md5Before, ...(await computeOnly('md5', 3))]);
    const shaOurs = mbPerSecond(file.size, capture.ms);
    const md5Ours = mbPerSecond(file.size, background.ms);
    const slices = fileSlices(file.size, DEFAULT_CHUNK_SIZE);
    const readOnly = await timedPass(() => streamSlices(file, slices, {}, () => {}));
    const readOurs = mbPerSecond(file.size, readOnly.ms);
    return [
      {
        what: `large ${sizeMiB} MiB disk File: capture hash (Worker, byte stream into hash-wasm) vs hash-wasm SHA-256 compute-only (Worker, in memory)`,
        bytes: file.size,
        ours: shaOurs,
        baseline: shaBaseline,
        ratio: shaOurs / shaBaseline,
        heapGrowthMiB: capture.heapGrowthMiB,
      },
      {
        what: `large ${sizeMiB} MiB disk File: upload MD5s after "Saved" (MD5 Worker, part MD5s) vs hash-wasm MD5 compute-only (Worker, in memory)`,
        bytes: file.size,
        ours: md5Ours,
        baseline: md5Baseline,
        ratio: md5Ours / md5Baseline,
        heapGrowthMiB: background.heapGrowthMiB,
      },
      {
        what: `large ${sizeMiB} MiB disk File: reading it only (page, same byte-stream reader, no hash) vs the capture hash`,
        bytes: file.size,
        ours: readOurs,
        baseline: shaOurs,
        ratio: readOurs / shaOurs,
      },
    ];
  } finally {
    await (await navigator.storage.getDirectory()).removeEntry('bench-large.bin');
  }
}

/** Receipt sizes, reported: the background MD5 pass (MD5 Worker) vs hash-wasm MD5 compute-only on the same bytes. */
export async function md5Receipts(sizesMiB: number[], runs: number): Promise<HashRow[]> {
  const md5 = await createMD5();
  const rows: HashRow[] = [];
  for (const sizeMiB of sizesMiB) {
    const bytes = randomBytes(sizeMiB * MiB);
    const blob = new Blob([bytes]);
    const ms = await alternate(runs, {
      native: () => {
        md5.init();
        md5.update(bytes);
        md5.digest();
        return Promise.resolve();
      },
      ours: () => client.md5s(blob, {}),
    });
    rows.push({
      what: `receipt ${sizeMiB} MiB: upload MD5 after "Saved" (MD5 Worker) vs hash-wasm MD5 compute-only`,
      bytes: bytes.length,
      ours: mbPerSecond(bytes.length, ms.ours),
      baseline: mbPerSecond(bytes.length, ms.native),
      ratio: ms.native / ms.ours,
    });
  }
  return rows;
}
