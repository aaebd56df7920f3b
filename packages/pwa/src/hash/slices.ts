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

/**
 * A byte-stream read not answered in this long counts as stalled and the rest of the file is read slice
 * by slice instead: a capture must never wait on a read forever, whatever the platform's stream does.
 * (Two bench runs hung in the hash step with the page idle; not traced — two benches were rebuilding the
 * same page folder at the time.) Reads of 4 MiB take ~1 s at worst here.
 */
export const READ_STALL_MS = 15_000;

/** How a stream of slices is read. */
export interface StreamOptions {
  chunkSize?: number;
  /** See {@link READ_STALL_MS} (tests shorten it). */
  stallMs?: number;
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

/** Reads up to `length` bytes into `buffer` from `reader`: the bytes, null at the end, 'stalled' after `stallMs`. */
async function readPiece(
  reader: ReadableStreamBYOBReader,
  buffer: ArrayBuffer,
  length: number,
  stallMs: number,
): Promise<Uint8Array<ArrayBuffer> | null | 'stalled'> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const stalled = new Promise<'stalled'>((resolve) => {
    timer = setTimeout(() => resolve('stalled'), stallMs);
  });
  try {
    const read = reader
      .read(new Uint8Array(buffer, 0, length))
      .then(({ done, value }) => (done || !value ? null : value));
    return await Promise.race([read, stalled]);
  } finally {
    clearTimeout(timer);
  }
}

/** `first`, then what is left of `rest`. */
function* continueWith(first: Slice, rest: Generator<Slice>): Generator<Slice> {
  yield first;
  for (let next = rest.next(); !next.done; next = rest.next()) yield next.value;
}

/**
 * Reads `blob` once, front to back, through a BYOB reader of `blob.stream()` into ONE buffer of `chunkSize`
 * reused for every read, handing each piece to `onData` (the view is only valid during the call: copy what
 * must outlive it). The browser fills the stream's pipe from the file while `onData` hashes the previous
 * piece, so reading overlaps hashing with a fixed amount of memory and no allocation per slice; measured in
 * Chromium on a disk-backed File it reads ~2.5x faster than `slice().arrayBuffer()` reads in flight (see
 * BENCHMARKS.md). Pieces follow `slices`: none crosses a slice's end, and the piece that ends a slice carries
 * its `endsPart`. Platforms without byte streams, and a stream that stalls ({@link READ_STALL_MS}), read
 * (the rest) slice by slice. Checks abort, reports progress.
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
  const stallMs = options.stallMs ?? READ_STALL_MS;
  try {
    // Not for-of: leaving that loop would close `slices`, which the stall fallback reads on.
    for (let next = slices.next(); !next.done; next = slices.next()) {
      const slice = next.value;
      for (let at = slice.start; at < slice.end;) {
        const length = Math.min(buffer.byteLength, slice.end - at);
        const data = await readPiece(reader, buffer, length, stallMs);
        throwIfAborted(options.signal);
        if (data === 'stalled') {
          const rest = continueWith({ ...slice, start: at }, slices);
          return await readSliceBySlice(blob, rest, options, onData);
        }
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
