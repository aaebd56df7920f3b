// Messages between the page and the MD5 Worker, and the loop the MD5 Worker runs (kept out of the entry so Node can test it).
import type { UploadMd5s } from './hash-types';
import { md5Pass } from './md5-pass';

/** Page → MD5 Worker. */
export type Md5Request =
  { type: 'md5'; id: number; blob: Blob; chunkSize?: number } | { type: 'cancel'; id: number };

/** MD5 Worker → page. */
export type Md5Response =
  | { type: 'result'; id: number; result: UploadMd5s }
  | { type: 'error'; id: number; name: string; message: string };

/** The slice of a Worker scope the loop needs (a MessagePort in tests). */
export interface Md5WorkerScope {
  postMessage(message: Md5Response): void;
  addEventListener(type: 'message', listener: (event: MessageEvent<Md5Request>) => void): void;
}

/** Serves MD5 requests on `scope`; each job reads the Blob itself (a handle was posted, not the bytes). */
export function serveMd5Requests(scope: Md5WorkerScope): void {
  const jobs = new Map<number, AbortController>();
  scope.addEventListener('message', (event) => {
    const request = event.data;
    if (request.type === 'cancel') {
      jobs.get(request.id)?.abort(new DOMException('Hashing cancelled', 'AbortError'));
      return;
    }
    const { id, blob, chunkSize } = request;
    const controller = new AbortController();
    jobs.set(id, controller);
    const options = { signal: controller.signal, ...(chunkSize ? { chunkSize } : {}) };
    md5Pass(blob, options)
      .then((result) => scope.postMessage({ type: 'result', id, result }))
      .catch((error: unknown) => {
        const { name, message } = error instanceof Error ? error : new Error(String(error));
        scope.postMessage({ type: 'error', id, name, message });
      })
      .finally(() => jobs.delete(id));
  });
}
