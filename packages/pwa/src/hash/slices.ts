// Reading a Blob slice by slice for the hashers: slices that never cross a part boundary, one read ahead of the hashing.
import { partRange, type PartPlan } from '@fieldvault/shared/parts';
import type { HashProgress } from './hash-types';

/** Default slice: big enough that per-call overhead vanishes, small enough that two in memory are nothing. */
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

const read = async (blob: Blob, slice: Slice) =>
  new Uint8Array(await blob.slice(slice.start, slice.end).arrayBuffer());

/** Throws the signal's reason (or an AbortError) once it aborted. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw signal.reason ?? new DOMException('Hashing cancelled', 'AbortError');
}

/** Reads `blob` slice by slice with one read ahead, handing each slice to `onData`; checks abort, reports progress. */
export async function streamSlices(
  blob: Blob,
  slices: Generator<Slice>,
  options: StreamOptions,
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
