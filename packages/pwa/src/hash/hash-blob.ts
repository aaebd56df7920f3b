// The capture-time SHA-256 of a Blob/File: receipts read whole into WebCrypto, larger files streamed into hash-wasm with reading overlapped.
import { createSHA256, type IHasher } from 'hash-wasm';
import { bytesToHex } from '@fieldvault/shared/sha256';
import type { HashProgress, HashResult } from './hash-types';
import { DEFAULT_CHUNK_SIZE, fileSlices, READ_STALL_MS, streamSlices } from './slices';

export { DEFAULT_CHUNK_SIZE } from './slices';

/** Options for {@link hashBlob}. */
export interface HashBlobOptions {
  /** Size of the one read buffer, and how often progress is reported (default 4 MiB). */
  chunkSize?: number;
  onProgress?: (progress: HashProgress) => void;
  signal?: AbortSignal;
  /** How long a byte-stream read may go unanswered before the rest is read slice by slice (tests shorten it). */
  stallMs?: number;
  /** Files up to this size are read whole and digested natively (default {@link WHOLE_DIGEST_MAX}). */
  wholeUpTo?: number;
}

/**
 * Receipt sizes up to which the capture hash reads the file whole and asks WebCrypto for the digest. In
 * Chromium 156 that is about 1.5x faster than streaming into hash-wasm, on disk-backed Files as on Blobs in
 * memory (BENCHMARKS.md, session 9), and 32 MiB in memory for a moment is nothing beside a photo's decode.
 * Larger files stream, so a 1 GiB video never sits in memory.
 */
export const WHOLE_DIGEST_MAX = 32 * 1024 * 1024;

/** The whole of `blob`, or null when reading it stalls past `stallMs` (the caller streams instead). */
async function readWhole(blob: Blob, options: HashBlobOptions): Promise<ArrayBuffer | null> {
  options.signal?.throwIfAborted();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let onAbort = () => {};
  try {
    return await Promise.race([
      blob.arrayBuffer(),
      new Promise<null>((resolve) => {
        timer = setTimeout(() => resolve(null), options.stallMs ?? READ_STALL_MS);
      }),
      new Promise<never>((_, reject) => {
        // Rejects with the signal's reason, as the stream path does (`throwIfAborted`).
        onAbort = () => {
          try {
            options.signal?.throwIfAborted();
          } catch (reason) {
            reject(reason instanceof Error ? reason : new Error(String(reason)));
          }
        };
        options.signal?.addEventListener('abort', onAbort, { once: true });
      }),
    ]);
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', onAbort);
  }
}

/** SHA-256 of a receipt-sized `blob` read whole, by WebCrypto; null when there is none or the read stalled. */
async function digestWhole(blob: Blob, options: HashBlobOptions): Promise<HashResult | null> {
  const subtle = globalThis.crypto?.subtle;
  if (!subtle || blob.size > (options.wholeUpTo ?? WHOLE_DIGEST_MAX)) return null;
  const whole = await readWhole(blob, options);
  if (!whole) return null;
  const digest = await subtle.digest('SHA-256', whole);
  options.signal?.throwIfAborted();
  options.onProgress?.({ bytesDone: blob.size, bytesTotal: blob.size });
  return { sha256: bytesToHex(new Uint8Array(digest)) };
}

/** Idle SHA-256 hashers, reused so a receipt does not pay for a WebAssembly instance each time. */
const idle: IHasher[] = [];

/**
 * The capture-time SHA-256 (hex) of `blob`. Up to {@link WHOLE_DIGEST_MAX} it is read whole and digested
 * by WebCrypto (a read that stalls falls back to the stream). Larger, the bytes stream through one reused
 * buffer of `chunkSize` (a BYOB reader of `blob.stream()`) into hash-wasm, so the browser reads the next
 * bytes while this thread hashes the last, and a 1 GiB file never sits in memory. The upload MD5s are not
 * computed here: they come after "Saved" (`md5Pass`). Rejects with the signal's reason when aborted. Runs
 * in the hash Worker and in Node tests.
 */
export async function hashBlob(blob: Blob, options: HashBlobOptions = {}): Promise<HashResult> {
  const whole = await digestWhole(blob, options);
  if (whole) return whole;
  const sha = idle.pop() ?? (await createSHA256());
  try {
    sha.init();
    const chunkSize = Math.max(1, Math.min(options.chunkSize ?? DEFAULT_CHUNK_SIZE, blob.size));
    const slices = fileSlices(blob.size, chunkSize);
    await streamSlices(blob, slices, { ...options, chunkSize }, (data) => sha.update(data));
    return { sha256: bytesToHex(sha.digest('binary')) };
  } finally {
    idle.push(sha);
  }
}
