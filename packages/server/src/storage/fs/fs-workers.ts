// Filesystem work on worker threads, beside the caller's own: a listing's stat + sidecar reads (≈ 4 syscalls per object) and a part's MD5.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';

/** What one probed file looked like: absent or not a regular file, or its stat fields and sidecar text. */
export type Probed =
  | { kind: 'absent' }
  | { kind: 'file'; size: number; mtimeMs: number; ino: number; sidecar: string | null };

/** A file region to hash. */
export interface Region {
  file: string;
  offset: number;
  length: number;
}

/**
 * An answer on the wire: for a probe, 4 numbers per path (kind, size, mtimeMs, ino) and the sidecar
 * texts; for a hash, the hex digest.
 */
interface Answer {
  id: number;
  numbers?: Float64Array;
  sidecars?: (string | null)[];
  digest?: string;
  error?: { message: string; code?: string };
}

/*
 * The worker is plain CommonJS evaluated from this string: it needs only node:fs, and a source
 * string runs the same under tsx, vitest and the built server (a worker file would need a loader
 * for .ts). Per path: statSync (throwing for anything but ENOENT, as the listing always did) and,
 * for a regular file, `<path>@meta.json` read into one reused buffer (null when it cannot be read:
 * the caller repairs that object through headObject). A hash reads its region in 1 MiB steps
 * (from the page cache: the bytes were just written) and fails on a short file.
 */
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const fs = require('node:fs');
const crypto = require('node:crypto');
const buffer = Buffer.allocUnsafe(4096);
let chunk;
function hashRegion({ file, offset, length, algorithm }) {
  chunk ??= Buffer.allocUnsafe(1 << 20);
  const hash = crypto.createHash(algorithm);
  const fd = fs.openSync(file, 'r');
  try {
    for (let done = 0; done < length; ) {
      const n = fs.readSync(fd, chunk, 0, Math.min(chunk.length, length - done), offset + done);
      if (n === 0) throw new Error('short read: ' + file + ' ends before ' + (offset + length));
      hash.update(chunk.subarray(0, n));
      done += n;
    }
  } finally { fs.closeSync(fd); }
  return hash.digest('hex');
}
function sidecar(file) {
  let fd;
  try { fd = fs.openSync(file, 'r'); } catch { return null; }
  try {
    const n = fs.readSync(fd, buffer, 0, buffer.length, 0);
    return n < buffer.length ? buffer.toString('utf8', 0, n) : fs.readFileSync(file, 'utf8');
  } catch { return null; } finally { fs.closeSync(fd); }
}
function fail(id, err) {
  parentPort.postMessage({ id, error: { message: String(err && err.message), code: err && err.code } });
}
parentPort.on('message', (job) => {
  if (job.op === 'hash') {
    let digest;
    try { digest = hashRegion(job); } catch (err) { fail(job.id, err); return; }
    parentPort.postMessage({ id: job.id, digest });
    return;
  }
  const { id, paths } = job;
  const numbers = new Float64Array(paths.length * 4);
  const sidecars = new Array(paths.length).fill(null);
  try {
    for (let i = 0; i < paths.length; i++) {
      const info = fs.statSync(paths[i], { throwIfNoEntry: false });
      if (!info || !info.isFile()) continue;
      numbers[4 * i] = 1;
      numbers[4 * i + 1] = info.size;
      numbers[4 * i + 2] = info.mtimeMs;
      numbers[4 * i + 3] = info.ino;
      sidecars[i] = sidecar(paths[i] + '@meta.json');
    }
  } catch (err) {
    fail(id, err);
    return;
  }
  parentPort.postMessage({ id, numbers, sidecars }, [numbers.buffer]);
});
`;

interface Waiting {
  resolve: (answer: Answer) => void;
  reject: (err: Error) => void;
}

/** One worker and the batches it owes; referenced (keeps the process alive) only while it owes some. */
class FsWorker {
  private readonly worker = new Worker(WORKER_SOURCE, { eval: true });
  private readonly waiting = new Map<number, Waiting>();
  private seq = 0;

  constructor(private readonly onDead: (w: FsWorker) => void) {
    this.worker.unref();
    this.worker.on('message', (a: Answer) => this.answer(a));
    this.worker.on('error', (err) => this.fail(err));
    this.worker.on('exit', () => this.fail(new Error('fs worker exited')));
  }

  get load(): number {
    return this.waiting.size;
  }

  /** Send a job (`op` plus its fields) and wait for its answer. */
  run(job: Record<string, unknown>): Promise<Answer> {
    const id = ++this.seq;
    if (this.waiting.size === 0) this.worker.ref();
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.worker.postMessage({ ...job, id });
    });
  }

  private answer(a: Answer): void {
    const waiting = this.waiting.get(a.id);
    if (!waiting) return;
    this.waiting.delete(a.id);
    if (this.waiting.size === 0) this.worker.unref();
    if (a.error) {
      waiting.reject(Object.assign(new Error(a.error.message), { code: a.error.code }));
      return;
    }
    waiting.resolve(a);
  }

  private fail(err: Error): void {
    this.onDead(this);
    for (const w of this.waiting.values()) w.reject(err);
    this.waiting.clear();
  }
}

function decode(numbers: Float64Array, sidecars: (string | null)[]): Probed[] {
  const out: Probed[] = [];
  for (let i = 0; i < sidecars.length; i++) {
    if (numbers[4 * i] !== 1) {
      out.push({ kind: 'absent' });
      continue;
    }
    const [size = 0, mtimeMs = 0, ino = 0] = numbers.subarray(4 * i + 1, 4 * i + 4);
    out.push({ kind: 'file', size, mtimeMs, ino, sidecar: sidecars[i] ?? null });
  }
  return out;
}

/** Workers started on first use (two at most: the caller needs a core too). */
const pool: FsWorker[] = [];
const POOL_SIZE = Math.max(1, Math.min(2, availableParallelism()));

/** The least busy worker, starting one while the pool is not full. */
function idlestWorker(): FsWorker {
  if (pool.length < POOL_SIZE) {
    const worker: FsWorker = new FsWorker((dead) => {
      const at = pool.indexOf(dead);
      if (at >= 0) pool.splice(at, 1);
    });
    pool.push(worker);
  }
  return pool.reduce((a, b) => (b.load < a.load ? b : a));
}

/**
 * Stat each path and read its `@meta.json` sidecar on a worker; answers in the order of `paths`.
 * Rejects with the filesystem's error (code kept) for anything but a missing file.
 */
export async function probeFiles(paths: readonly string[]): Promise<Probed[]> {
  const a = await idlestWorker().run({ op: 'probe', paths });
  if (!a.numbers || !a.sidecars) throw new Error('fs worker: malformed probe answer');
  return decode(a.numbers, a.sidecars);
}

/** Hex digest (`md5` or `sha256`) of a region of a file, read and hashed on a worker. */
export async function hashRegion(region: Region, algorithm: 'md5' | 'sha256'): Promise<string> {
  const a = await idlestWorker().run({ op: 'hash', ...region, algorithm });
  if (a.digest === undefined) throw new Error('fs worker: malformed hash answer');
  return a.digest;
}
