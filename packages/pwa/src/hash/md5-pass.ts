// The upload MD5s of one file (whole-file MD5 for a single PUT, one per part for multipart), streamed; runs after "Saved".
import { createMD5 } from 'hash-wasm';
import { partPlan } from '@fieldvault/shared/parts';
import { bytesToBase64 } from '@fieldvault/shared/sha256';
import type { UploadMd5s } from './hash-types';
import { DEFAULT_CHUNK_SIZE, slicesOf, streamSlices, type StreamOptions } from './slices';

/** Computes the {@link UploadMd5s} of a Blob, possibly on another thread (the MD5 Worker in the page). */
export type Md5Pass = (
  blob: Blob,
  options: { chunkSize?: number; signal?: AbortSignal },
) => Promise<UploadMd5s>;

/**
 * Streams `blob` through MD5 (one reused read buffer, see `streamSlices`): the whole-file MD5 when
 * `partPlan(size)` is a single PUT, else one MD5 per part (pieces never cross a part boundary).
 */
export async function md5Pass(blob: Blob, options: StreamOptions = {}): Promise<UploadMd5s> {
  const plan = partPlan(blob.size);
  const hasher = (await createMD5()).init();
  const partMd5s: string[] = [];
  const slices = slicesOf(plan, options.chunkSize ?? DEFAULT_CHUNK_SIZE);
  await streamSlices(blob, slices, options, (data, slice) => {
    hasher.update(data);
    if (plan.kind === 'multipart' && slice.endsPart) {
      partMd5s.push(bytesToBase64(hasher.digest('binary')));
      hasher.init();
    }
  });
  return plan.kind === 'multipart' ? { partMd5s } : { md5: bytesToBase64(hasher.digest('binary')) };
}
