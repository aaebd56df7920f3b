// The capture-time SHA-256 of a Blob/File: WebCrypto on the whole buffer for receipts, hash-wasm streamed with read-ahead beyond.
import { createSHA256 } from 'hash-wasm';
import { bytesToHex } from '@fieldvault/shared/sha256';
import type { HashProgress, HashResult } from './hash-types';
import { DEFAULT_CHUNK_SIZE, fileSlices, streamSlices, throwIfAborted } from './slices';

export { DEFAULT_CHUNK_SIZE } from './slices';

/**
 * Up to this size a file is read whole and hashed by WebCrypto. The catalog's receipt limit is 25 MiB;
 * `crypto.subtle.digest` has no incremental form, so the whole file sits in the Worker's memory for the
 * moment it is hashed. 32 MiB keeps every receipt on the native path (about 2.5× hash-wasm's rate in
 * Chromium, see BENCHMARKS.md) while bounding that memory; beyond it the streamed pass keeps memory flat.
 */
export const NATIVE_SHA256_MAX = 32 * 1024 * 1024;

/** Options for {@link hashBlob}. */
export interface HashBlobOptions {
  /** Bytes read per slice on the streamed path (default 4 MiB). */
  chunkSize?: number;
  /** Slices read ahead of the one being hashed on the streamed path (default {@link DEFAULT_READ_AHEAD}). */
  readAhead?: number;
  onProgress?: (progress: HashProgress) => void;
  signal?: AbortSignal;
  /** Files up to this size take the native path (default {@link NATIVE_SHA256_MAX}; 0 turns it off). */
  nativeSha256Max?: number;
}

/** Read-ahead of the streamed path: enough that a slow read of one slice never leaves the hasher idle. */
export const DEFAULT_READ_AHEAD = 2;

/** Receipt sizes: one read, one native digest (WebCrypto runs it off this thread in Chromium). */
async function hashWhole(blob: Blob, options: HashBlobOptions): Promise<HashResult> {
  const whole = await blob.arrayBuffer();
  throwIfAborted(options.signal);
  const digest = await crypto.subtle.digest('SHA-256', whole);
  throwIfAborted(options.signal);
  options.onProgress?.({ bytesDone: blob.size, bytesTotal: blob.size });
  return { sha256: bytesToHex(new Uint8Array(digest)) };
}

/** Large files: slices stream through hash-wasm while the next ones are being read. */
async function hashStreamed(blob: Blob, options: HashBlobOptions): Promise<HashResult> {
  const sha = (await createSHA256()).init();
  const slices = fileSlices(blob.size, options.chunkSize ?? DEFAULT_CHUNK_SIZE);
  const readAhead = options.readAhead ?? DEFAULT_READ_AHEAD;
  await streamSlices(blob, slices, { ...options, readAhead }, (data) => sha.update(data));
  return { sha256: bytesToHex(sha.digest('binary')) };
}

/**
 * The capture-time SHA-256 (hex) of `blob`: up to {@link NATIVE_SHA256_MAX} the bytes are read whole and
 * hashed by WebCrypto; beyond, slices of `chunkSize` stream through hash-wasm with `readAhead` slices read
 * ahead, so reading overlaps hashing and a 1 GiB file never sits in memory. The upload MD5s are not
 * computed here: they come after "Saved" (`md5Pass`). Rejects with the signal's reason when aborted. Runs
 * in the hash Worker and in Node tests.
 */
export async function hashBlob(blob: Blob, options: HashBlobOptions = {}): Promise<HashResult> {
  const native = (options.nativeSha256Max ?? NATIVE_SHA256_MAX) >= blob.size;
  if (native && globalThis.crypto?.subtle) return hashWhole(blob, options);
  return hashStreamed(blob, options);
}
