// The page's side of the MD5 Worker: posts a Blob, resolves with its upload MD5s; one Worker, started on first use.
import type { UploadMd5s } from './hash-types';
import type { Md5Pass } from './md5-pass';
import type { Md5Request, Md5Response } from './md5-protocol';

/** What the client needs from a Worker (a fake in tests). */
export interface Md5WorkerLike {
  postMessage(message: Md5Request): void;
  addEventListener(type: 'message', listener: (event: MessageEvent<Md5Response>) => void): void;
  addEventListener(type: 'error', listener: (event: Event) => void): void;
  terminate(): void;
}

const startWorker = (): Md5WorkerLike =>
  new Worker(new URL('./md5.worker.ts', import.meta.url), {
    type: 'module',
    name: 'fieldvault-md5',
  });

interface Job {
  resolve: (result: UploadMd5s) => void;
  reject: (error: Error) => void;
}

/**
 * Creates an {@link Md5Pass} that runs in the MD5 Worker. If that Worker fails, pending jobs fail and the
 * next job starts a new one.
 */
export function createMd5Client(createWorker: () => Md5WorkerLike = startWorker): Md5Pass {
  const jobs = new Map<number, Job>();
  let worker: Md5WorkerLike | null = null;
  let nextId = 1;
  const ensureWorker = (): Md5WorkerLike => {
    if (worker) return worker;
    const started = createWorker();
    started.addEventListener('message', ({ data }) => {
      const job = jobs.get(data.id);
      if (!job) return;
      jobs.delete(data.id);
      if (data.type === 'result') job.resolve(data.result);
      else job.reject(Object.assign(new Error(data.message), { name: data.name }));
    });
    started.addEventListener('error', () => {
      for (const job of jobs.values()) job.reject(new Error('The MD5 worker stopped'));
      jobs.clear();
      started.terminate();
      worker = null;
    });
    worker = started;
    return started;
  };
  return (blob, options) =>
    new Promise<UploadMd5s>((resolve, reject) => {
      const { signal, chunkSize } = options;
      if (signal?.aborted) return reject(new DOMException('Hashing cancelled', 'AbortError'));
      const id = nextId++;
      const target = ensureWorker();
      jobs.set(id, { resolve, reject });
      signal?.addEventListener('abort', () => {
        if (!jobs.delete(id)) return;
        target.postMessage({ type: 'cancel', id });
        reject(new DOMException('Hashing cancelled', 'AbortError'));
      });
      target.postMessage({ type: 'md5', id, blob, ...(chunkSize ? { chunkSize } : {}) });
    });
}
