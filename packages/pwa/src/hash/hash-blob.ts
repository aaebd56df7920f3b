// The capture-time SHA-256 of a Blob/File: hash-wasm fed straight from the file's byte stream, reading overlapped with hashing.
import { createSHA256, type IHasher } from 'hash-wasm';
import { bytesToHex } from '@fieldvault/shared/sha256';
import type { HashProgress, HashResult } from './hash-types';
import { DEFAULT_CHUNK_SIZE, fileSlices, streamSlices } from './slices';

export { DEFAULT_CHUNK_SIZE } from './slices';

/** Options for {@link hashBlob}. */
export interface HashBlobOptions {
  /** Size of the one read buffer, and how often progress is reported (default 4 MiB). */
  chunkSize?: number;
  onProgress?: (progress: HashProgress) => void;
  signal?: AbortSignal;
  /** How long a byte-stream read may go unanswered before the rest is read slice by slice (tests shorten it). */
  stallMs?: number;
}

/** Idle SHA-256 hashers, reused so a receipt does not pay for a WebAssembly instance each time. */
const idle: IHasher[] = [];

/**
 * The capture-time SHA-256 (hex) of `blob`, at every size: the bytes stream through one reused buffer of
 * `chunkSize` (a BYOB reader of `blob.stream()`) into hash-wasm, so the browser reads the next bytes while
 * this thread hashes the last, and a 1 GiB file never sits in memory. WebCrypto's one-shot digest is not
 * used even for receipts: it needs the whole file read first (`arrayBuffer()`), then hashes, so read and
 * hash add up; measured in Chromium (BENCHMARKS.md) the overlapped stream is about 2x faster from 5 MiB up
 * and equal at 1 MiB, where the Blob read's fixed latency dominates either way. The upload MD5s are not
 * computed here: they come after "Saved" (`md5Pass`). Rejects with the signal's reason when aborted. Runs
 * in the hash Worker and in Node tests.
 */
export async function hashBlob(blob: Blob, options: HashBlobOptions = {}): Promise<HashResult> {
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
