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

/** Throws the signal's reason (or an AbortError) once it aborted. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw signal.reason ?? new DOMException('Hashing cancelled', 'AbortError');
}

/** A BYOB reader of the blob's byte stream, or null where the platform gives no byte stream. */
function byobReader(blob: Blob): ReadableStreamBYOBReader | null {
  try {
    return blob.stream().getReader({ mode: 'byob' });
  } catch {
    return null;
  }
}

/** Reads the bytes of `slice` (or fewer) into `buffer` from `reader`; null at the end of the stream. */
async function readPiece(reader: ReadableStreamBYOBReader, buffer: ArrayBuffer, length: number) {
  const { done, value } = await reader.read(new Uint8Array(buffer, 0, length));
  return done || !value ? null : value;
}

/**
 * Reads `blob` once, front to back, through a BYOB reader of `blob.stream()` into ONE buffer of `chunkSize`
 * reused for every read, handing each piece to `onData` (the view is only valid during the call: copy what
 * must outlive it). The browser fills the stream's pipe from the file while `onData` hashes the previous
 * piece, so reading overlaps hashing with a fixed amount of memory and no allocation per slice; measured in
 * Chromium on a disk-backed File it reads ~2.5x faster than `slice().arrayBuffer()` reads in flight (see
 * BENCHMARKS.md). Pieces follow `slices`: none crosses a slice's end, and the piece that ends a slice carries
 * its `endsPart`. Platforms without byte streams read slice by slice. Checks abort, reports progress.
 */
export async function streamSlices(
  blob: Blob,
  slices: Generator<Slice>,
  options: StreamOptions,
  onData: (data: Uint8Array, piece: Slice) => void,
): Promise<void> {
  const reader = byobReader(blob);
  if (!reader) return readSliceBySlice(blob, slices, options, onData);
  let buffer = new ArrayBuffer(options.chunkSize ?? DEFAULT_CHUNK_SIZE);
  try {
    for (const slice of slices) {
      for (let at = slice.start; at < slice.end;) {
        const length = Math.min(buffer.byteLength, slice.end - at);
        const data = await readPiece(reader, buffer, length);
        throwIfAborted(options.signal);
        if (!data) throw new Error(`The file ended after ${at} of ${blob.size} bytes`);
        buffer = data.buffer; // the read transferred it: this is the same memory, handed back
        const end = at + data.byteLength;
        onData(data, { start: at, end, endsPart: end === slice.end && slice.endsPart });
        at = end;
      }
      options.onProgress?.({ bytesDone: slice.end, bytesTotal: blob.size });
    }
  } finally {
    reader.cancel().catch(() => undefined);
  }
  throwIfAborted(options.signal);
}

/** The fallback of {@link streamSlices}: one `slice().arrayBuffer()` at a time. */
async function readSliceBySlice(
  blob: Blob,
  slices: Generator<Slice>,
  options: StreamOptions,
  onData: (data: Uint8Array, piece: Slice) => void,
): Promise<void> {
  for (const slice of slices) {
    const data = new Uint8Array(await blob.slice(slice.start, slice.end).arrayBuffer());
    throwIfAborted(options.signal);
    onData(data, slice);
    options.onProgress?.({ bytesDone: slice.end, bytesTotal: blob.size });
  }
  throwIfAborted(options.signal);
}
