// Client-side helpers of the storage contract suite: digests, browser-like requests, bounded parallelism.
import { createHash } from 'node:crypto';
import type { PresignedRequest } from './object-store.js';

/** SHA-256 hex, as FieldVault names a hash. */
export const sha256 = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');
/** MD5 base64, as Content-MD5 carries it. */
export const md5 = (b: Uint8Array): string => createHash('md5').update(b).digest('base64');
/** Wait `ms` milliseconds. */
export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Perform a presigned request the way a browser would: global fetch, exactly the signed headers. */
export function send(req: PresignedRequest, body?: Uint8Array, url = req.url): Promise<Response> {
  return fetch(url, { method: req.method, headers: req.headers, ...(body ? { body } : {}) });
}

/** Collect a web stream into one Buffer. */
export async function readAll(stream: ReadableStream<Uint8Array>): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of stream as unknown as AsyncIterable<Uint8Array>) chunks.push(chunk);
  return Buffer.concat(chunks);
}

/** Run `fn` over `items` with at most `limit` in flight. */
export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const out: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/** Flip one character of the URL's signature parameter (works for X-Amz-Signature and X-FV-Signature). */
export function tamperSignature(url: string): string {
  const u = new URL(url);
  const name = [...u.searchParams.keys()].find((k) => k.endsWith('Signature')) ?? '';
  const sig = u.searchParams.get(name) ?? '';
  u.searchParams.set(name, (sig.startsWith('0') ? '1' : '0') + sig.slice(1));
  return u.toString();
}
