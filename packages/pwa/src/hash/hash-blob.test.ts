// Digests equal Node's crypto for edge sizes and a real multipart plan, native and streamed; reads stay at two slices; abortable.
import { partPlan } from '@fieldvault/shared/parts';
import { describe, expect, it, vi } from 'vitest';
import { nodeHashes, patternBytes } from '../outbox/testing';
import { hashBlob } from './hash-blob';

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
    await hashBlob(blob, { chunkSize: MiB, onProgress: (p) => progress.push(p.bytesDone) });
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
      signal: controller.signal,
      onProgress: (p) => {
        if (p.bytesDone >= MiB) controller.abort(new Error('user cancelled'));
      },
    });
    await expect(hashing).rejects.toThrow('user cancelled');
  });
});
