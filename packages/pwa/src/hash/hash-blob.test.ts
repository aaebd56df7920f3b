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

/** Records the length of every view `blob`'s BYOB reader is asked to fill, and whether the reader is used. */
function spyByob(blob: Blob) {
  const lengths: number[] = [];
  const realStream = blob.stream.bind(blob);
  vi.spyOn(blob, 'stream').mockImplementation(() => {
    const stream = realStream();
    const realGetReader = stream.getReader.bind(stream);
    vi.spyOn(stream, 'getReader').mockImplementation(((opts: { mode: 'byob' }) => {
      const reader = realGetReader(opts);
      const realRead = reader.read.bind(reader);
      reader.read = (view: Uint8Array<ArrayBuffer>) => {
        lengths.push(view.byteLength);
        return realRead(view);
      };
      return reader;
    }) as never);
    return stream;
  });
  return lengths;
}

/** A blob whose stream cannot give a BYOB reader (a platform without byte streams). */
function withoutByteStream(blob: Blob): Blob {
  vi.spyOn(blob, 'stream').mockImplementation(() => new ReadableStream());
  return blob;
}

/**
 * A blob whose byte stream answers its reads until `answerBytes` bytes were given, then never again (the
 * stall Chromium's Blob byte stream showed in a busy bench); `slice()` still reads the real bytes.
 */
function stallingAfter(blob: Blob, answerBytes: number): Blob {
  let given = 0;
  const stream = new ReadableStream({
    type: 'bytes',
    pull(controller) {
      const request = controller.byobRequest;
      if (!request?.view || given >= answerBytes) return new Promise<void>(() => undefined);
      const view = new Uint8Array(
        request.view.buffer,
        request.view.byteOffset,
        request.view.byteLength,
      );
      const n = Math.min(view.byteLength, answerBytes - given);
      return blob
        .slice(given, given + n)
        .arrayBuffer()
        .then((bytes) => {
          view.set(new Uint8Array(bytes));
          given += n;
          request.respond(n);
        });
    },
  });
  vi.spyOn(blob, 'stream').mockImplementation(() => stream);
  return blob;
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
    it(`matches Node crypto for ${size} bytes: read whole, from the byte stream and from slice reads`, async () => {
      const bytes = patternBytes(size);
      expect(await hashBlob(new Blob([bytes]))).toEqual(nodeSha256(bytes));
      const streamed = { chunkSize: 1 * MiB, wholeUpTo: 0 };
      expect(await hashBlob(new Blob([bytes]), streamed)).toEqual(nodeSha256(bytes));
      const fallback = withoutByteStream(new Blob([bytes]));
      expect(await hashBlob(fallback, streamed)).toEqual(nodeSha256(bytes));
    });
  }

  it('a byte stream that stops answering mid-file: the rest is read slice by slice, same digest, progress to the end', async () => {
    const bytes = patternBytes(5 * MiB + 123);
    const progress: number[] = [];
    const blob = stallingAfter(new Blob([bytes]), 2 * MiB + 5);
    const result = await hashBlob(blob, {
      chunkSize: MiB,
      stallMs: 200,
      wholeUpTo: 0,
      onProgress: (p) => progress.push(p.bytesDone),
    });
    expect(result).toEqual(nodeSha256(bytes));
    expect(progress.at(-1)).toBe(bytes.length);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
  });

  it('the upload MD5s survive the same stall: one per part of the shared plan, equal to Node', async () => {
    const bytes = patternBytes(17 * MiB + 3, 6);
    const blob = stallingAfter(new Blob([bytes]), 6 * MiB + 1);
    const md5s = await md5Pass(blob, { chunkSize: 3 * MiB + 7, stallMs: 200 });
    expect(md5s.partMd5s).toHaveLength(3);
    expect(md5s).toEqual(nodeMd5s(bytes));
  });

  it('computes no MD5 at capture', async () => {
    const result = await hashBlob(new Blob([patternBytes(17 * MiB + 3)]));
    expect(Object.keys(result)).toEqual(['sha256']);
  });

  it('reads through one buffer of at most the chunk size, reporting monotonic progress to the end', async () => {
    const blob = new Blob([patternBytes(5 * MiB + 1)]);
    const lengths = spyByob(blob);
    const progress: number[] = [];
    const onProgress = (p: { bytesDone: number }) => progress.push(p.bytesDone);
    await hashBlob(blob, { chunkSize: MiB, onProgress, wholeUpTo: 0 });
    expect(lengths.length).toBeGreaterThan(0);
    expect(Math.max(...lengths)).toBeLessThanOrEqual(MiB);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    expect(progress.at(-1)).toBe(blob.size);
  });

  it('does not read a small file into a stream buffer bigger than the file', async () => {
    const blob = new Blob([patternBytes(10 * KiB)]);
    const lengths = spyByob(blob);
    await hashBlob(blob, { wholeUpTo: 0 });
    expect(Math.max(...lengths)).toBe(10 * KiB);
  });

  it('gives the same digest when run twice at once (each job its own hasher)', async () => {
    const [a, b] = [patternBytes(3 * MiB, 1), patternBytes(2 * MiB + 9, 2)];
    const both = await Promise.all([a, b].map((x) => hashBlob(new Blob([x]), { chunkSize: MiB })));
    expect(both).toEqual([nodeSha256(a), nodeSha256(b)]);
  });

  it('stops with the abort reason when cancelled', async () => {
    const controller = new AbortController();
    const blob = new Blob([patternBytes(4 * MiB)]);
    const hashing = hashBlob(blob, {
      chunkSize: MiB,
      wholeUpTo: 0,
      signal: controller.signal,
      onProgress: (p) => {
        if (p.bytesDone >= MiB) controller.abort(new Error('user cancelled'));
      },
    });
    await expect(hashing).rejects.toThrow('user cancelled');
  });
});

describe('hashBlob, receipt sizes read whole', { timeout: HASHING_TIMEOUT_MS }, () => {
  it('reads a receipt whole and never opens its byte stream; progress says done', async () => {
    const bytes = patternBytes(3 * MiB + 7);
    const blob = new Blob([bytes]);
    const lengths = spyByob(blob);
    const progress: number[] = [];
    const result = await hashBlob(blob, { onProgress: (p) => progress.push(p.bytesDone) });
    expect(result).toEqual(nodeSha256(bytes));
    expect(lengths).toEqual([]);
    expect(progress).toEqual([bytes.length]);
  });

  it('streams a file above the limit instead of reading it whole', async () => {
    const bytes = patternBytes(2 * MiB + 1);
    const blob = new Blob([bytes]);
    const lengths = spyByob(blob);
    expect(await hashBlob(blob, { wholeUpTo: 2 * MiB, chunkSize: MiB })).toEqual(nodeSha256(bytes));
    expect(lengths.length).toBeGreaterThan(0);
  });

  it('a whole read that never answers: the file is streamed instead, same digest', async () => {
    const bytes = patternBytes(MiB + 5);
    const blob = new Blob([bytes]);
    vi.spyOn(blob, 'arrayBuffer').mockImplementation(
      () => new Promise<ArrayBuffer>(() => undefined),
    );
    expect(await hashBlob(blob, { stallMs: 100 })).toEqual(nodeSha256(bytes));
  });

  it('stops with the abort reason while the whole read is pending', async () => {
    const blob = new Blob([patternBytes(MiB)]);
    vi.spyOn(blob, 'arrayBuffer').mockImplementation(
      () => new Promise<ArrayBuffer>(() => undefined),
    );
    const controller = new AbortController();
    const hashing = hashBlob(blob, { signal: controller.signal });
    controller.abort(new Error('user cancelled'));
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

  it('gives the same MD5s from slice reads, where there is no byte stream', async () => {
    const bytes = patternBytes(17 * MiB + 3, 4);
    const md5s = await md5Pass(withoutByteStream(new Blob([bytes])), { chunkSize: 3 * MiB + 7 });
    expect(md5s).toEqual(nodeMd5s(bytes));
  });
});
