// One streaming pass over a Blob/File: SHA-256, whole-file MD5 and per-part MD5s, reading the next slice while hashing this one.
import { createMD5, createSHA256, type IHasher } from 'hash-wasm';
import { partPlan, partRange, type PartPlan } from '@fieldvault/shared/parts';
import { bytesToBase64, bytesToHex } from '@fieldvault/shared/sha256';
import type { HashProgress, HashResult } from './hash-types';

/** Default slice: big enough that per-call overhead vanishes, small enough that two in memory are nothing. */
export const DEFAULT_CHUNK_SIZE = 4 * 1024 * 1024;

/** Options for {@link hashBlob}. */
export interface HashBlobOptions {
  /** Bytes read per slice (default 4 MiB). At most two slices are in memory at once. */
  chunkSize?: number;
  onProgress?: (progress: HashProgress) => void;
  signal?: AbortSignal;
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
  sha: IHasher;
  md5: IHasher;
  part: IHasher | null;
  partMd5s: string[];
}

function feed(h: Hashers, data: Uint8Array, slice: Slice) {
  h.sha.update(data);
  h.md5.update(data);
  if (h.part) {
    h.part.update(data);
    if (slice.endsPart) {
      h.partMd5s.push(bytesToBase64(h.part.digest('binary')));
      h.part.init();
    }
  }
}

/**
 * Hashes `blob` in one pass: SHA-256 (hex), MD5 (base64) and, when `partPlan(size)` is multipart, one MD5
 * per part. Reads slices of `chunkSize` with one read ahead, so reading overlaps hashing and a 1 GiB file
 * never sits in memory. Rejects with the signal's reason when aborted. Runs in the hash Worker and in Node tests.
 */
export async function hashBlob(blob: Blob, options: HashBlobOptions = {}): Promise<HashResult> {
  const plan = partPlan(blob.size);
  const [sha, md5, part] = await Promise.all([
    createSHA256(),
    createMD5(),
    plan.kind === 'multipart' ? createMD5() : null,
  ]);
  const h: Hashers = { sha: sha.init(), md5: md5.init(), part: part?.init() ?? null, partMd5s: [] };
  const slices = slicesOf(plan, options.chunkSize ?? DEFAULT_CHUNK_SIZE);
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
    feed(h, data, slice);
    options.onProgress?.({ bytesDone: slice.end, bytesTotal: blob.size });
  }
  throwIfAborted(options.signal);
  const result: HashResult = {
    sha256: bytesToHex(h.sha.digest('binary')),
    md5: bytesToBase64(h.md5.digest('binary')),
  };
  return h.part ? { ...result, partMd5s: h.partMd5s } : result;
}
