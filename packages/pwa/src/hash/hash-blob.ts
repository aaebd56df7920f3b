// One pass over a Blob/File: SHA-256, whole-file MD5 and per-part MD5s; WebCrypto SHA-256 for receipts, streamed hash-wasm beyond.
import { createMD5, createSHA256, type IHasher } from 'hash-wasm';
import { partPlan, partRange, type PartPlan } from '@fieldvault/shared/parts';
import { bytesToBase64, bytesToHex } from '@fieldvault/shared/sha256';
import type { HashProgress, HashResult } from './hash-types';

/** Receipt sizes (the catalog's receipt limit is 25 MiB): held whole, SHA-256 by WebCrypto. */
export const NATIVE_SHA256_MAX = 32 * 1024 * 1024;

/** Default slice: big enough that per-call overhead vanishes, small enough that two in memory are nothing. */
export const DEFAULT_CHUNK_SIZE = 4 * 1024 * 1024;

/** Options for {@link hashBlob}. */
export interface HashBlobOptions {
  /** Bytes read per slice (default 4 MiB). At most two slices are in memory at once. */
  chunkSize?: number;
  onProgress?: (progress: HashProgress) => void;
  signal?: AbortSignal;
  /** Files up to this size take the native SHA-256 path (default {@link NATIVE_SHA256_MAX}; 0 turns it off). */
  nativeSha256Max?: number;
}

/** One slice to read; `endsPart` closes a part's MD5. */
interface Slice {
  start: number;
  end: number;
  endsPart: boolean;
}

/** The slices of a file, never crossing a part boundary, so each part's MD5 sees exactly its bytes. */
function* slicesOf(plan: PartPlan, chunkSize: number): Generator<Slice> {
  const parts =
    plan.kind === 'single'
      ? [{ start: 0, end: plan.size }]
      : Array.from({ length: plan.partCount }, (_, i) => partRange(plan, i + 1));
  for (const part of parts) {
    for (let start = part.start; start < part.end; start += chunkSize) {
      const end = Math.min(start + chunkSize, part.end);
      yield { start, end, endsPart: end === part.end };
    }
  }
}

const read = async (blob: Blob, slice: Slice) =>
  new Uint8Array(await blob.slice(slice.start, slice.end).arrayBuffer());

function throwIfAborted(signal: AbortSignal | undefined) {
  if (signal?.aborted) throw signal.reason ?? new DOMException('Hashing cancelled', 'AbortError');
}

/** The hashers of one pass; `part` only for multipart sizes. */
interface Hashers {
  /** Null when WebCrypto computes the SHA-256 instead. */
  sha: IHasher | null;
  md5: IHasher;
  part: IHasher | null;
  partMd5s: string[];
}

function feed(h: Hashers, data: Uint8Array, slice: Slice) {
  h.sha?.update(data);
  h.md5.update(data);
  if (h.part) {
    h.part.update(data);
    if (slice.endsPart) {
      h.partMd5s.push(bytesToBase64(h.part.digest('binary')));
      h.part.init();
    }
  }
}

/** Reads `blob` slice by slice with one read ahead, handing each slice to `onData`; checks abort, reports progress. */
async function streamSlices(
  blob: Blob,
  slices: Generator<Slice>,
  options: HashBlobOptions,
  onData: (data: Uint8Array, slice: Slice) => void,
): Promise<void> {
  let current = slices.next();
  let pending = current.done ? null : read(blob, current.value);
  while (!current.done && pending) {
    const data = await pending;
    throwIfAborted(options.signal);
    const slice = current.value;
    current = slices.next();
    // Start reading the next slice before hashing this one: the disk and the CPU work at the same time.
    pending = current.done ? null : read(blob, current.value);
    pending?.catch(() => undefined);
    onData(data, slice);
    options.onProgress?.({ bytesDone: slice.end, bytesTotal: blob.size });
  }
  throwIfAborted(options.signal);
}

async function createHashers(plan: PartPlan, withSha: boolean): Promise<Hashers> {
  const [sha, md5, part] = await Promise.all([
    withSha ? createSHA256() : null,
    createMD5(),
    plan.kind === 'multipart' ? createMD5() : null,
  ]);
  return { sha: sha?.init() ?? null, md5: md5.init(), part: part?.init() ?? null, partMd5s: [] };
}

function finish(h: Hashers, sha256: string): HashResult {
  const result: HashResult = { sha256, md5: bytesToBase64(h.md5.digest('binary')) };
  return h.part ? { ...result, partMd5s: h.partMd5s } : result;
}

/**
 * Receipt sizes: read the file whole (still slice by slice), then let the platform's native SHA-256
 * (WebCrypto, which runs on the browser's own crypto thread) work while hash-wasm does the MD5s here.
 * The native digest is several times faster than SHA-256 in WebAssembly.
 */
async function hashWhole(blob: Blob, plan: PartPlan, options: HashBlobOptions) {
  const h = await createHashers(plan, false);
  const whole = new Uint8Array(blob.size);
  const slices = slicesOf(plan, options.chunkSize ?? DEFAULT_CHUNK_SIZE);
  await streamSlices(blob, slices, options, (data, slice) => whole.set(data, slice.start));
  const sha = crypto.subtle.digest('SHA-256', whole);
  sha.catch(() => undefined);
  for (const slice of slicesOf(plan, options.chunkSize ?? DEFAULT_CHUNK_SIZE))
    feed(h, whole.subarray(slice.start, slice.end), slice);
  const digest = await sha;
  throwIfAborted(options.signal);
  return finish(h, bytesToHex(new Uint8Array(digest)));
}

/**
 * Hashes `blob` in one pass: SHA-256 (hex), MD5 (base64) and, when `partPlan(size)` is multipart, one MD5
 * per part. Up to {@link NATIVE_SHA256_MAX} the bytes are held whole and SHA-256 comes from WebCrypto;
 * beyond, slices of `chunkSize` stream through hash-wasm with one read ahead, so reading overlaps hashing
 * and a 1 GiB file never sits in memory. Rejects with the signal's reason when aborted. Runs in the hash
 * Worker and in Node tests.
 */
export async function hashBlob(blob: Blob, options: HashBlobOptions = {}): Promise<HashResult> {
  const plan = partPlan(blob.size);
  const native = (options.nativeSha256Max ?? NATIVE_SHA256_MAX) >= blob.size;
  if (native && globalThis.crypto?.subtle) return hashWhole(blob, plan, options);
  const h = await createHashers(plan, true);
  const slices = slicesOf(plan, options.chunkSize ?? DEFAULT_CHUNK_SIZE);
  await streamSlices(blob, slices, options, (data, slice) => feed(h, data, slice));
  return finish(h, bytesToHex((h.sha as IHasher).digest('binary')));
}
