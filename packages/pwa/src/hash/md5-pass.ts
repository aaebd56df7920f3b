// The MD5s of one file (whole file, and one per part for multipart sizes), streamed; runs in the MD5 Worker beside the SHA-256.
import { createMD5, type IHasher } from 'hash-wasm';
import { partPlan } from '@fieldvault/shared/parts';
import { bytesToBase64 } from '@fieldvault/shared/sha256';
import {
  DEFAULT_CHUNK_SIZE,
  slicesOf,
  streamSlices,
  type Slice,
  type StreamOptions,
} from './slices';

/** The MD5 half of a {@link HashResult}. */
export interface Md5Result {
  /** Whole-file MD5, base64 (`Content-MD5` of a single PUT). */
  md5: string;
  /** One MD5 per part of `partPlan(size)`, base64; only for multipart sizes. */
  partMd5s?: string[];
}

/** Computes {@link Md5Result} for a Blob, possibly on another thread. */
export type Md5Pass = (
  blob: Blob,
  options: { chunkSize?: number; signal?: AbortSignal },
) => Promise<Md5Result>;

/** The MD5 hashers of one pass; `part` only for multipart sizes. */
export interface Md5Hashers {
  md5: IHasher;
  part: IHasher | null;
  partMd5s: string[];
}

/** Fresh hashers for a file of `size` bytes. */
export async function createMd5Hashers(size: number): Promise<Md5Hashers> {
  const multipart = partPlan(size).kind === 'multipart';
  const [md5, part] = await Promise.all([createMD5(), multipart ? createMD5() : null]);
  return { md5: md5.init(), part: part?.init() ?? null, partMd5s: [] };
}

/** Feeds one slice to the MD5s; closes the part's MD5 at a part boundary. */
export function feedMd5(h: Md5Hashers, data: Uint8Array, slice: Slice): void {
  h.md5.update(data);
  if (!h.part) return;
  h.part.update(data);
  if (slice.endsPart) {
    h.partMd5s.push(bytesToBase64(h.part.digest('binary')));
    h.part.init();
  }
}

/** The digests of the hashers. */
export function md5Digests(h: Md5Hashers): Md5Result {
  const md5 = bytesToBase64(h.md5.digest('binary'));
  return h.part ? { md5, partMd5s: h.partMd5s } : { md5 };
}

/** Streams `blob` through the MD5s, two slices in memory at most. */
export async function md5Pass(blob: Blob, options: StreamOptions = {}): Promise<Md5Result> {
  const h = await createMd5Hashers(blob.size);
  const slices = slicesOf(partPlan(blob.size), options.chunkSize ?? DEFAULT_CHUNK_SIZE);
  await streamSlices(blob, slices, options, (data, slice) => feedMd5(h, data, slice));
  return md5Digests(h);
}
