// Worker threads beside the caller's own for filesystem work: a listing's stat + sidecar reads, and hash states (fs-worker-hashes).
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { WORKER_SOURCE } from './fs-worker-source.js';

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
export interface Answer {
  id: number;
  numbers?: Float64Array;
  sidecars?: (string | null)[];
  digest?: string;
  /** A slot's memory handed back after hashing it. */
  lent?: ArrayBuffer;
  error?: { message: string; code?: string };
}

interface Waiting {
  resolve: (answer: Answer) => void;
  reject: (err: Error) => void;
}

/** One worker and the batches it owes; referenced (keeps the process alive) only while it owes some. */
export class FsWorker {
  private readonly worker = new Worker(WORKER_SOURCE, { eval: true });
  private readonly waiting = new Map<number, Waiting>();
  private seq = 0;
  private dead: Error | undefined;

  constructor(private readonly onDead: (w: FsWorker) => void) {
    this.worker.unref();
    this.worker.on('message', (a: Answer) => this.answer(a));
    this.worker.on('error', (err) => this.fail(err));
    this.worker.on('exit', () => this.fail(new Error('fs worker exited')));
  }

  get load(): number {
    return this.waiting.size;
  }

  /** Send a job (`op` plus its fields; `transfer`: buffers moved, not copied) and wait for its answer. */
  run(job: Record<string, unknown>, transfer: ArrayBuffer[] = []): Promise<Answer> {
    // A chain of SHA-256 states keeps its worker: after the worker died, its states are gone.
    if (this.dead) return Promise.reject(this.dead);
    const id = ++this.seq;
    if (this.waiting.size === 0) this.worker.ref();
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.worker.postMessage({ ...job, id }, transfer);
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
    this.dead ??= err;
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
export function idlestWorker(): FsWorker {
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
