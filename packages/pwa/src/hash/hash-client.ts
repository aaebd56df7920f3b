// The page's hashing: SHA-256 in the hash Worker (posts a File, relays progress, cancellable), upload MD5s in the MD5 Worker.
import { createMd5Client, type Md5WorkerLike } from './md5-client';
import type { HashRequest, HashResponse } from './hash-protocol';
import type { HashProgress, HashResult } from './hash-types';

/** What the client needs from a Worker (a fake in tests). */
export interface HashWorkerLike {
  postMessage(message: HashRequest): void;
  addEventListener(type: 'message', listener: (event: MessageEvent<HashResponse>) => void): void;
  addEventListener(type: 'error', listener: (event: Event) => void): void;
  terminate(): void;
}

/** Options of one hashing job. */
export interface HashJobOptions {
  onProgress?: (progress: HashProgress) => void;
  signal?: AbortSignal;
  chunkSize?: number;
}

interface Job {
  resolve: (result: HashResult) => void;
  reject: (error: Error) => void;
  onProgress?: ((progress: HashProgress) => void) | undefined;
}

/** Starts the real module Worker (Vite bundles it from this URL pattern). */
const startWorker = (): HashWorkerLike =>
  new Worker(new URL('./hash.worker.ts', import.meta.url), {
    type: 'module',
    name: 'fieldvault-hash',
  });

function settle(jobs: Map<number, Job>, message: HashResponse) {
  const job = jobs.get(message.id);
  if (!job) return;
  if (message.type === 'progress') {
    job.onProgress?.({ bytesDone: message.bytesDone, bytesTotal: message.bytesTotal });
    return;
  }
  jobs.delete(message.id);
  if (message.type === 'result') job.resolve(message.result);
  else job.reject(Object.assign(new Error(message.message), { name: message.name }));
}

/** Worker factories; tests pass MessageChannel stand-ins. */
export interface HashClientOptions {
  createWorker?: () => HashWorkerLike;
  createMd5Worker?: () => Md5WorkerLike;
}

/**
 * Creates a client with one lazily started hash Worker shared by all jobs. If the Worker crashes, pending
 * jobs fail and the next job starts a new Worker. `md5s` runs the upload MD5s in a second, also lazily
 * started Worker, so the MD5s of one capture never wait behind (or slow) the SHA-256 of the next.
 */
export function createHashClient(options: HashClientOptions = {}) {
  const jobs = new Map<number, Job>();
  let worker: HashWorkerLike | null = null;
  let nextId = 1;
  const ensureWorker = (): HashWorkerLike => {
    if (worker) return worker;
    const started = (options.createWorker ?? startWorker)();
    started.addEventListener('message', (event) => settle(jobs, event.data));
    started.addEventListener('error', () => {
      for (const job of jobs.values()) job.reject(new Error('The hash worker stopped'));
      jobs.clear();
      started.terminate();
      worker = null;
    });
    worker = started;
    return started;
  };

  /** The capture-time SHA-256 of a Blob/File, off the main thread. Rejects with an AbortError when `signal` aborts. */
  const hash = (blob: Blob, job: HashJobOptions = {}): Promise<HashResult> =>
    new Promise<HashResult>((resolve, reject) => {
      const id = nextId++;
      const target = ensureWorker();
      if (job.signal?.aborted) return reject(new DOMException('Hashing cancelled', 'AbortError'));
      jobs.set(id, { resolve, reject, onProgress: job.onProgress });
      job.signal?.addEventListener('abort', () => {
        if (!jobs.delete(id)) return;
        target.postMessage({ type: 'cancel', id });
        reject(new DOMException('Hashing cancelled', 'AbortError'));
      });
      target.postMessage({
        type: 'hash',
        id,
        blob,
        ...(job.chunkSize ? { chunkSize: job.chunkSize } : {}),
      });
    });

  /** Stops the hash Worker; pending jobs fail. (The MD5 Worker is tiny and lives as long as the page.) */
  const close = () => {
    for (const job of jobs.values()) job.reject(new Error('The hash client was closed'));
    jobs.clear();
    worker?.terminate();
    worker = null;
  };
  const md5s = createMd5Client(options.createMd5Worker);
  return { hash, md5s, close };
}

/** A hash client (see {@link createHashClient}). */
export type HashClient = ReturnType<typeof createHashClient>;
