// Hash bench: the server's streamed SHA-256 of a stored object (what verify and rehash run) as a ratio to `sha256sum` on the same file.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { keyPaths } from '../src/storage/fs/fs-keys.js';
import { hashObject } from '../src/uploads/uploads.verify.js';
import { recordBenchRow } from '../../../tooling/bench-rows.js';
import { benchConfigAndStore } from './bench-app.js';

const MIB = 1024 * 1024;
const SIZE_MIB = Number(process.env.BENCH_HASH_MIB ?? 1024);
const ROUNDS = 3;

/** Best of {@link ROUNDS} runs of `step`, in MB/s of SIZE_MIB (the page cache is warm for both sides). */
async function best(step: () => unknown): Promise<number> {
  let fastest = Number.POSITIVE_INFINITY;
  for (let i = 0; i < ROUNDS; i++) {
    const t0 = performance.now();
    await step();
    fastest = Math.min(fastest, performance.now() - t0);
  }
  return (SIZE_MIB * MIB) / 1e6 / (fastest / 1000);
}

/** Entry point for bench/run.ts. */
export async function run(): Promise<void> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'fv-hash-bench-'));
  try {
    const { store } = await benchConfigAndStore(dir);
    const key = 'bench/hash.bin';
    await store.putObject(key, randomBytes(SIZE_MIB * MIB), {
      contentType: 'application/octet-stream',
    });
    const file = keyPaths(path.join(dir, 'objects'), key).file;
    let ours = '';
    let theirs = '';
    const reference = await best(() => {
      theirs = execFileSync('sha256sum', [file], { encoding: 'utf8' }).split(' ')[0] ?? '';
    });
    const rate = await best(async () => {
      ours = await hashObject(store, key);
    });
    if (ours !== theirs) throw new Error(`hash bench: ${ours} is not sha256sum's ${theirs}`);
    console.log(
      `${SIZE_MIB} MiB stored object, ${os.availableParallelism()} CPUs, load ${os.loadavg()[0]?.toFixed(1)}: ` +
        `sha256sum ${reference.toFixed(0)} MB/s, server hashObject ${rate.toFixed(0)} MB/s, ratio ${(rate / reference).toFixed(3)}`,
    );
    recordBenchRow({
      suite: 'hash',
      figure: `server SHA-256 of a ${SIZE_MIB} MiB stored object (verify, rehash)`,
      ours: rate,
      unit: 'MB/s',
      reference: { name: 'sha256sum', value: reference },
      ratio: rate / reference,
      goal: { kind: 'none' },
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
