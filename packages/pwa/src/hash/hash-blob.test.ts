// The capture SHA-256 and the upload MD5 pass equal Node's crypto for edge sizes and a real multipart plan; reads stay bounded; abortable.
import { partPlan } from '@fieldvault/shared/parts';
import { describe, expect, it, vi } from 'vitest';
import { nodeMd5s, nodeSha256, patternBytes } from '../outbox/testing';
import { hashBlob } from './hash-blob';
import { md5Pass } from './md5-pass';

const KiB = 1024;
const MiB = 1024 * KiB;
/** Hashing 17 MiB in Node takes seconds on a loaded 2-core machine (other tests run beside these). */
const HASHING_TIMEOUT_MS = 30_000;

/** Counts reads in flight on `blob`'s slices; `peak()` is the most at once. */
function countReads(blob: Blob) {
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
  return { peak: () => peak };
}

describe('hashBlob (capture SHA-256)', { timeout: HASHING_TIMEOUT_MS }, () => {
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
      expect(await hashBlob(blob, { chunkSize: 1 * MiB })).toEqual(nodeSha256(bytes));
      const streamed = await hashBlob(blob, { chunkSize: 1 * MiB, nativeSha256Max: 0 });
      expect(streamed).toEqual(nodeSha256(bytes));
    });
  }

  it('takes the native SHA-256 for receipt sizes only', async () => {
    const digest = vi.spyOn(crypto.subtle, 'digest');
    await hashBlob(new Blob([patternBytes(2 * MiB)]), { nativeSha256Max: 2 * MiB });
    expect(digest).toHaveBeenCalledTimes(1);
    await hashBlob(new Blob([patternBytes(2 * MiB + 1)]), { nativeSha256Max: 2 * MiB });
    expect(digest).toHaveBeenCalledTimes(1);
  });

  it('computes no MD5 at capture', async () => {
    const result = await hashBlob(new Blob([patternBytes(17 * MiB + 3)]), { nativeSha256Max: 0 });
    expect(Object.keys(result)).toEqual(['sha256']);
  });

  it('reads a receipt once, whole (no slices copied into a second buffer)', async () => {
    const bytes = patternBytes(3 * MiB + 5);
    const blob = new Blob([bytes]);
    const slice = vi.spyOn(blob, 'slice');
    expect(await hashBlob(blob, { chunkSize: MiB })).toEqual(nodeSha256(bytes));
    expect(slice).not.toHaveBeenCalled();
  });

  it('streams slices no bigger than the chunk size, reporting monotonic progress to the end', async () => {
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

  it('keeps the read-ahead it is given in flight, and no more', async () => {
    for (const readAhead of [1, 2, 3]) {
      const blob = new Blob([patternBytes(8 * MiB)]);
      const reads = countReads(blob);
      await hashBlob(blob, { chunkSize: MiB, nativeSha256Max: 0, readAhead });
      expect(reads.peak(), `readAhead ${readAhead}`).toBe(readAhead);
    }
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
});

describe('md5Pass (upload MD5s, after "Saved")', { timeout: HASHING_TIMEOUT_MS }, () => {
  for (const size of [0, 1, 5 * MiB - 1, 5 * MiB + 1, 17 * MiB + 3]) {
    it(`gives the MD5s the plan of ${size} bytes signs, equal to Node's`, async () => {
      const bytes = patternBytes(size, 3);
      const md5s = await md5Pass(new Blob([bytes]), { chunkSize: 3 * MiB + 7 });
      expect(md5s).toEqual(nodeMd5s(bytes));
      if (partPlan(size).kind === 'multipart') expect(md5s.md5).toBeUndefined();
      else expect(md5s.partMd5s).toBeUndefined();
    });
  }

  it('gives one MD5 per part of the shared plan, even when slices do not divide parts evenly', async () => {
    const size = 17 * MiB + 3;
    expect(partPlan(size)).toMatchObject({ kind: 'multipart', partCount: 3 });
    const md5s = await md5Pass(new Blob([patternBytes(size, 5)]), { chunkSize: 3 * MiB + 7 });
    expect(md5s.partMd5s).toHaveLength(3);
  });

  it('holds the current slice and one read ahead at most', async () => {
    const blob = new Blob([patternBytes(6 * MiB)]);
    const reads = countReads(blob);
    await md5Pass(blob, { chunkSize: MiB });
    expect(reads.peak()).toBe(1);
  });
});
