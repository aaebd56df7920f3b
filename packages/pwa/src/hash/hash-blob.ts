// One pass over a Blob/File: SHA-256, whole-file MD5 and per-part MD5s; WebCrypto SHA-256 for receipts, streamed hash-wasm beyond.
import { createSHA256 } from 'hash-wasm';
import { partPlan } from '@fieldvault/shared/parts';
import { bytesToHex } from '@fieldvault/shared/sha256';
import type { HashProgress, HashResult } from './hash-types';
import { createMd5Hashers, feedMd5, md5Digests, type Md5Pass } from './md5-pass';
import { DEFAULT_CHUNK_SIZE, slicesOf, streamSlices, throwIfAborted } from './slices';

export { DEFAULT_CHUNK_SIZE } from './slices';

/** Receipt sizes (the catalog's receipt limit is 25 MiB): held whole, SHA-256 by WebCrypto. */
export const NATIVE_SHA256_MAX = 32 * 1024 * 1024;

/** Options for {@link hashBlob}. */
export interface HashBlobOptions {
  /** Bytes read per slice (default 4 MiB). At most two slices are in memory at once. */
  chunkSize?: number;
  onProgress?: (progress: HashProgress) => void;
  signal?: AbortSignal;
  /** Files up to this size take the native SHA-256 path (default {@link NATIVE_SHA256_MAX}; 0 turns it off). */
  nativeSha256Max?: number;
  /**
   * Computes the MD5s of a streamed (large) file elsewhere, in parallel with the SHA-256 here (the MD5
   * Worker in the browser). Absent: this thread computes all three digests.
   */
  md5s?: Md5Pass;
}

/**
 * Receipt sizes: read the file in one go (one copy), start the platform's native SHA-256 (WebCrypto runs
 * it on the browser's own crypto thread) and compute the MD5 here meanwhile. The MD5 is what the
 * receipt's signed `Content-MD5` needs on storage without SHA-256 checksums (Ceph, Spaces).
 */
async function hashWhole(blob: Blob, options: HashBlobOptions): Promise<HashResult> {
  const h = await createMd5Hashers(blob.size);
  const whole = new Uint8Array(await blob.arrayBuffer());
  throwIfAborted(options.signal);
  const sha = crypto.subtle.digest('SHA-256', whole);
  sha.catch(() => undefined);
  for (const slice of slicesOf(partPlan(blob.size), options.chunkSize ?? DEFAULT_CHUNK_SIZE))
    feedMd5(h, whole.subarray(slice.start, slice.end), slice);
  const digest = await sha;
  throwIfAborted(options.signal);
  options.onProgress?.({ bytesDone: blob.size, bytesTotal: blob.size });
  return { sha256: bytesToHex(new Uint8Array(digest)), ...md5Digests(h) };
}

/** Large files: SHA-256 streamed here while `md5s` streams the same Blob on another thread. */
async function hashSplit(blob: Blob, md5s: Md5Pass, options: HashBlobOptions): Promise<HashResult> {
  const chunkSize = options.chunkSize ?? DEFAULT_CHUNK_SIZE;
  const controller = new AbortController();
  const stop = () => controller.abort(options.signal?.reason);
  options.signal?.addEventListener('abort', stop);
  const md5 = md5s(blob, { chunkSize, signal: controller.signal });
  md5.catch(() => undefined);
  try {
    const sha = (await createSHA256()).init();
    await streamSlices(blob, slicesOf(partPlan(blob.size), chunkSize), options, (data) =>
      sha.update(data),
    );
    const sha256 = bytesToHex(sha.digest('binary'));
    return { sha256, ...(await md5) };
  } catch (error) {
    controller.abort(error);
    throw error;
  } finally {
    options.signal?.removeEventListener('abort', stop);
  }
}

/** Large files on one thread: every slice goes through SHA-256 and the MD5s. */
async function hashStreamed(blob: Blob, options: HashBlobOptions): Promise<HashResult> {
  const [sha, h] = await Promise.all([createSHA256(), createMd5Hashers(blob.size)]);
  sha.init();
  const slices = slicesOf(partPlan(blob.size), options.chunkSize ?? DEFAULT_CHUNK_SIZE);
  await streamSlices(blob, slices, options, (data, slice) => {
    sha.update(data);
    feedMd5(h, data, slice);
  });
  return { sha256: bytesToHex(sha.digest('binary')), ...md5Digests(h) };
}

/**
 * Hashes `blob` in one pass: SHA-256 (hex), MD5 (base64) and, when `partPlan(size)` is multipart, one MD5
 * per part. Up to {@link NATIVE_SHA256_MAX} the bytes are held whole and SHA-256 comes from WebCrypto;
 * beyond, slices of `chunkSize` stream through hash-wasm with one read ahead, so reading overlaps hashing
 * and a 1 GiB file never sits in memory; with `md5s` the MD5s run on a second thread meanwhile. Rejects
 * with the signal's reason when aborted. Runs in the hash Worker and in Node tests.
 */
export async function hashBlob(blob: Blob, options: HashBlobOptions = {}): Promise<HashResult> {
  const native = (options.nativeSha256Max ?? NATIVE_SHA256_MAX) >= blob.size;
  if (native && globalThis.crypto?.subtle) return hashWhole(blob, options);
  if (options.md5s) return hashSplit(blob, options.md5s, options);
  return hashStreamed(blob, options);
}
