// Messages between the page and the hash Worker, and the Worker-side loop that serves them (kept out of the entry file so Node can test it).
import { hashBlob } from './hash-blob';
import type { HashResult } from './hash-types';

/** Page → Worker. */
export type HashRequest =
  { type: 'hash'; id: number; blob: Blob; chunkSize?: number } | { type: 'cancel'; id: number };

/** Worker → page. */
export type HashResponse =
  | { type: 'progress'; id: number; bytesDone: number; bytesTotal: number }
  | { type: 'result'; id: number; result: HashResult }
  | { type: 'error'; id: number; name: string; message: string };

/** The slice of a Worker global scope the loop needs (a MessagePort in tests). */
export interface HashWorkerScope {
  postMessage(message: HashResponse): void;
  addEventListener(type: 'message', listener: (event: MessageEvent<HashRequest>) => void): void;
}

async function runJob(
  scope: HashWorkerScope,
  job: { id: number; blob: Blob; chunkSize?: number; signal: AbortSignal },
) {
  const { id } = job;
  try {
    const result = await hashBlob(job.blob, {
      signal: job.signal,
      ...(job.chunkSize ? { chunkSize: job.chunkSize } : {}),
      onProgress: (p) => scope.postMessage({ type: 'progress', id, ...p }),
    });
    scope.postMessage({ type: 'result', id, result });
  } catch (error) {
    const { name, message } = error instanceof Error ? error : new Error(String(error));
    scope.postMessage({ type: 'error', id, name, message });
  }
}

/** Serves hash requests on `scope` until it closes; each job is cancellable by id. */
export function serveHashRequests(scope: HashWorkerScope): void {
  const jobs = new Map<number, AbortController>();
  scope.addEventListener('message', (event) => {
    const request = event.data;
    if (request.type === 'cancel') {
      jobs.get(request.id)?.abort(new DOMException('Hashing cancelled', 'AbortError'));
      return;
    }
    const controller = new AbortController();
    jobs.set(request.id, controller);
    const job = {
      id: request.id,
      blob: request.blob,
      signal: controller.signal,
      ...(request.chunkSize ? { chunkSize: request.chunkSize } : {}),
    };
    void runJob(scope, job).finally(() => jobs.delete(request.id));
  });
}
