// Digests equal Node's crypto for edge sizes and a real multipart plan, native, streamed and split across threads; reads stay at two slices; abortable.
import { partPlan } from '@fieldvault/shared/parts';
import { describe, expect, it, vi } from 'vitest';
import { nodeHashes, patternBytes } from '../outbox/testing';
import { hashBlob } from './hash-blob';
import { md5Pass, type Md5Pass } from './md5-pass';

const KiB = 1024;
const MiB = 1024 * KiB;

describe('hashBlob', () => {
  const sizes = [
    0,
    1,
    64 * KiB - 1,
    64 * KiB,
    64 * KiB + 1,
    5 * MiB - 1,
    5 * MiB,
    5 * MiB + 1,
    17 * MiB + 3,
  ];
  for (const size of sizes) {
    it(`matches Node crypto for ${size} bytes, on the native and the streamed path`, async () => {
      const bytes = patternBytes(size);
      const blob = new Blob([bytes]);
      expect(await hashBlob(blob, { chunkSize: 1 * MiB })).toEqual(nodeHashes(bytes));
      const streamed = await hashBlob(blob, { chunkSize: 1 * MiB, nativeSha256Max: 0 });
      expect(streamed).toEqual(nodeHashes(bytes));
    });
  }

  it('takes the native SHA-256 for receipt sizes only', async () => {
    const digest = vi.spyOn(crypto.subtle, 'digest');
    await hashBlob(new Blob([patternBytes(2 * MiB)]), { nativeSha256Max: 2 * MiB });
    expect(digest).toHaveBeenCalledTimes(1);
    await hashBlob(new Blob([patternBytes(2 * MiB + 1)]), { nativeSha256Max: 2 * MiB });
    expect(digest).toHaveBeenCalledTimes(1);
  });

  it('gives one MD5 per part of the shared plan, even when slices do not divide parts evenly', async () => {
    const size = 17 * MiB + 3;
    const plan = partPlan(size);
    expect(plan).toMatchObject({ kind: 'multipart', partCount: 3 });
    const bytes = patternBytes(size, 3);
    const result = await hashBlob(new Blob([bytes]), { chunkSize: 3 * MiB + 7 });
    expect(result.partMd5s).toHaveLength(3);
    expect(result).toEqual(nodeHashes(bytes));
  });

  it('reads slices no bigger than the chunk size, reports monotonic progress to the end', async () => {
    const blob = new Blob([patternBytes(5 * MiB + 1)]);
    const slice = vi.spyOn(blob, 'slice');
    const progress: number[] = [];
    const onProgress = (p: { bytesDone: number }) => progress.push(p.bytesDone);
    await hashBlob(blob, { chunkSize: MiB, nativeSha256Max: 0, onProgress });
    const lengths = slice.mock.calls.map(([start = 0, end = 0]) => end - start);
    expect(Math.max(...lengths)).toBeLessThanOrEqual(MiB);
    expect(lengths.reduce((a, b) => a + b, 0)).toBe(blob.size);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    expect(progress.at(-1)).toBe(blob.size);
  });

  it('never has more than the current slice and one read-ahead in flight', async () => {
    const blob = new Blob([patternBytes(6 * MiB)]);
    let inFlight = 0;
    let peak = 0;
    const realSlice = blob.slice.bind(blob);
    vi.spyOn(blob, 'slice').mockImplementation((start, end) => {
      const part = realSlice(start, end);
      const realRead = part.arrayBuffer.bind(part);
      part.arrayBuffer = async () => {
        peak = Math.max(peak, ++inFlight);
        const data = await realRead();
        inFlight--;
        return data;
      };
      return part;
    });
    await hashBlob(blob, { chunkSize: MiB });
    expect(peak).toBeLessThanOrEqual(2);
  });

  it('stops with the abort reason when cancelled', async () => {
    const controller = new AbortController();
    const blob = new Blob([patternBytes(4 * MiB)]);
    const hashing = hashBlob(blob, {
      chunkSize: MiB,
      nativeSha256Max: 0,
      signal: controller.signal,
      onProgress: (p) => {
        if (p.bytesDone >= MiB) controller.abort(new Error('user cancelled'));
      },
    });
    await expect(hashing).rejects.toThrow('user cancelled');
  });

  it('reads a receipt once, whole (no slices copied into a second buffer)', async () => {
    const bytes = patternBytes(3 * MiB + 5);
    const blob = new Blob([bytes]);
    const slice = vi.spyOn(blob, 'slice');
    expect(await hashBlob(blob, { chunkSize: MiB })).toEqual(nodeHashes(bytes));
    expect(slice).not.toHaveBeenCalled();
  });

  it('hands the MD5s of a large file to `md5s` (another thread in the browser) and joins the digests', async () => {
    const bytes = patternBytes(17 * MiB + 3, 5);
    const blob = new Blob([bytes]);
    const seen: Blob[] = [];
    const md5s: Md5Pass = (b, options) => (seen.push(b), md5Pass(b, options));
    const result = await hashBlob(blob, { chunkSize: 3 * MiB, nativeSha256Max: 0, md5s });
    expect(seen).toEqual([blob]);
    expect(result).toEqual(nodeHashes(bytes));
  });

  it('cancelling a split pass cancels the MD5 side too', async () => {
    const controller = new AbortController();
    let md5Signal: AbortSignal | undefined;
    const md5s: Md5Pass = (b, options) => ((md5Signal = options.signal), md5Pass(b, options));
    const hashing = hashBlob(new Blob([patternBytes(4 * MiB)]), {
      chunkSize: MiB,
      nativeSha256Max: 0,
      md5s,
      signal: controller.signal,
      onProgress: (p) => {
        if (p.bytesDone >= MiB) controller.abort(new Error('user cancelled'));
      },
    });
    await expect(hashing).rejects.toThrow('user cancelled');
    expect(md5Signal?.aborted).toBe(true);
  });
});
