// Hashing benchmarks in the page: the app's hash Worker against the native digest (receipts) and hash-wasm (large files).
import { createSHA256 } from 'hash-wasm';
import { createHashClient } from '../src/hash/hash-client';
import { MiB, mbPerSecond, median, pageHeapBytes, randomBytes, timeRuns } from './measure';

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

/** Receipt sizes: the app's Worker hashing a Blob vs `crypto.subtle.digest` on the same bytes in memory. */
export async function hashReceipts(sizesMiB: number[], runs: number): Promise<HashRow[]> {
  const rows: HashRow[] = [];
  for (const sizeMiB of sizesMiB) {
    const bytes = randomBytes(sizeMiB * MiB);
    const blob = new Blob([bytes]);
    const native = median(await timeRuns(runs, () => crypto.subtle.digest('SHA-256', bytes)));
    const ours = median(await timeRuns(runs, () => client.hash(blob)));
    const row = { bytes: bytes.length, ours: mbPerSecond(bytes.length, ours) };
    rows.push({
      what: `receipt ${sizeMiB} MiB: Worker (SHA-256 + MD5) vs subtle.digest`,
      ...row,
      baseline: mbPerSecond(bytes.length, native),
      ratio: native / ours,
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

/** hash-wasm SHA-256, compute only, over an in-memory buffer: the rate a streaming pass can at best reach. */
async function hashWasmComputeOnly(bufferMiB: number, runs: number): Promise<number> {
  const bytes = randomBytes(bufferMiB * MiB);
  const hasher = await createSHA256();
  const ms = median(
    await timeRuns(runs, () => {
      hasher.init();
      for (let offset = 0; offset < bytes.length; offset += 4 * MiB)
        hasher.update(bytes.subarray(offset, offset + 4 * MiB));
      hasher.digest();
      return Promise.resolve();
    }),
  );
  return mbPerSecond(bytes.length, ms);
}

/** A large disk-backed File through the app's Worker vs hash-wasm compute-only; samples the page heap meanwhile. */
export async function hashLargeFile(sizeMiB: number): Promise<HashRow> {
  const baseline = await hashWasmComputeOnly(256, 3);
  const file = await diskFile(sizeMiB);
  const before = pageHeapBytes();
  let peak = before;
  const sampler = setInterval(() => (peak = Math.max(peak, pageHeapBytes())), 50);
  const start = performance.now();
  await client.hash(file);
  const ms = performance.now() - start;
  clearInterval(sampler);
  await (await navigator.storage.getDirectory()).removeEntry('bench-large.bin');
  const ours = mbPerSecond(file.size, ms);
  return {
    what: `large ${sizeMiB} MiB disk File: Worker (SHA-256 + MD5 + part MD5s) vs hash-wasm SHA-256 compute-only`,
    bytes: file.size,
    ours,
    baseline,
    ratio: ours / baseline,
    heapGrowthMiB: (peak - before) / MiB,
  };
}
