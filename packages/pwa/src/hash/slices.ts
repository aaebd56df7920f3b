// Reading a Blob slice by slice for the hashers: the slices of a file or of its parts, read ahead of the hashing.
import { partRange, type PartPlan } from '@fieldvault/shared/parts';
import type { HashProgress } from './hash-types';

/** Default slice: big enough that per-call overhead vanishes, small enough that a few in memory are nothing. */
export const DEFAULT_CHUNK_SIZE = 4 * 1024 * 1024;

/** One slice to read; `endsPart` closes a part's MD5. */
export interface Slice {
  start: number;
  end: number;
  endsPart: boolean;
}

/** How a stream of slices is read. */
export interface StreamOptions {
  chunkSize?: number;
  onProgress?: (progress: HashProgress) => void;
  signal?: AbortSignal;
  /** Slices being read while one is hashed (default 1); memory holds `readAhead + 1` slices at most. */
  readAhead?: number;
}

/** The slices of a file, never crossing a part boundary, so each part's MD5 sees exactly its bytes. */
export function* slicesOf(plan: PartPlan, chunkSize: number): Generator<Slice> {
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

/** The slices of a whole file (no part boundaries: the SHA-256 sees the file as one stream). */
export function* fileSlices(size: number, chunkSize: number): Generator<Slice> {
  for (let start = 0; start < size; start += chunkSize) {
    const end = Math.min(start + chunkSize, size);
    yield { start, end, endsPart: end === size };
  }
}

const read = async (blob: Blob, slice: Slice) =>
  new Uint8Array(await blob.slice(slice.start, slice.end).arrayBuffer());

/** Throws the signal's reason (or an AbortError) once it aborted. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw signal.reason ?? new DOMException('Hashing cancelled', 'AbortError');
}

/**
 * Reads `blob` slice by slice with `readAhead` reads in flight ahead of the slice being handed to `onData`,
 * so the disk and the CPU work at the same time; checks abort, reports progress.
 */
export async function streamSlices(
  blob: Blob,
  slices: Generator<Slice>,
  options: StreamOptions,
  onData: (data: Uint8Array, slice: Slice) => void,
): Promise<void> {
  const ahead = Math.max(1, options.readAhead ?? 1);
  const queue: { slice: Slice; data: Promise<Uint8Array> }[] = [];
  const refill = () => {
    while (queue.length < ahead) {
      const next = slices.next();
      if (next.done) return;
      const data = read(blob, next.value);
      data.catch(() => undefined);
      queue.push({ slice: next.value, data });
    }
  };
  refill();
  for (let head = queue.shift(); head; head = queue.shift()) {
    const data = await head.data;
    throwIfAborted(options.signal);
    // Start the next reads before hashing this slice.
    refill();
    onData(data, head.slice);
    options.onProgress?.({ bytesDone: head.slice.end, bytesTotal: blob.size });
  }
  throwIfAborted(options.signal);
}
