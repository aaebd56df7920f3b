// The hash and MD5 Workers in real Chromium: SHA-256 from a File's byte stream equals Node's crypto (memory- and disk-backed Files) and upload MD5s equal one-shot MD5 up to 100 MiB.
import { md5 } from 'hash-wasm';
import { partPlan, partRange } from '@fieldvault/shared/parts';
import { afterAll, describe, expect, it } from 'vitest';
import { hashBlob } from './hash-blob';
import { createHashClient } from './hash-client';

const KiB = 1024;
const MiB = 1024 * KiB;

/** Deterministic bytes (the Node tests' `patternBytes(size, 7)`). */
function patternBytes(size: number): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(size);
  for (let i = 0; i < size; i++) out[i] = (i * 31 + 7 + (i >> 12)) & 255;
  return out;
}

/**
 * SHA-256 of `patternBytes(size)` as Node's `crypto.createHash('sha256')` gives it (computed once in Node:
 * an independent implementation, so hash-wasm is never checked against itself).
 */
const NODE_SHA256: Record<number, string> = {
  0: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  1: 'ca358758f6d27e6cf45272937977a748fd88391db679ceda7dc7bf1f005ee879',
  [64 * KiB - 1]: '009511366eb7bbae62eeba826b311fbb687adc2222abc55b88c8189fb98676f1',
  [64 * KiB + 1]: 'e2bdead71ff2db786616de24a3fb706641277af7d7645523b6486c91dce2270c',
  [5 * MiB - 1]: '4b2230343d99dc5252e213c21234bf8e0ddedd33083232ce2503a36136c89235',
  [5 * MiB + 1]: '0b4f5935aa307d18fc16fa9c5e552e883428ef75767f2e88c1e2b6f0777314e8',
  [17 * MiB + 3]: '07591e3eb31bd1096b0016c94ae0431eb9610f0eb0e5cf2a1b34356687adaa98',
  [100 * MiB]: '013254244d6f8f9c9bc9b2cefd0c6428b024ffcc0d6dfde54c98b08f34a7f840',
};

const md5Base64 = async (bytes: Uint8Array) => {
  const hex = await md5(bytes);
  return btoa(String.fromCharCode(...(hex.match(/../g) ?? []).map((h) => parseInt(h, 16))));
};

/** The upload MD5s of `bytes` from one-shot MD5s of the whole file or of each part. */
async function expectedMd5s(bytes: Uint8Array) {
  const plan = partPlan(bytes.length);
  if (plan.kind === 'single') return { md5: await md5Base64(bytes) };
  const parts = Array.from({ length: plan.partCount }, (_, i) => partRange(plan, i + 1));
  return {
    partMd5s: await Promise.all(parts.map((p) => md5Base64(bytes.subarray(p.start, p.end)))),
  };
}

const client = createHashClient();
afterAll(() => client.close());

describe('hash and MD5 workers (Chromium)', () => {
  for (const [key, sha256] of Object.entries(NODE_SHA256)) {
    const size = Number(key);
    it(`${size} bytes: SHA-256 equals Node's in the Worker and on this thread; upload MD5s equal one-shot MD5`, async () => {
      const bytes = patternBytes(size);
      const file = new File([bytes], 'receipt.bin');
      const progress: number[] = [];
      const result = await client.hash(file, { onProgress: (p) => progress.push(p.bytesDone) });
      expect(result).toEqual({ sha256 });
      if (size > 0) expect(progress.at(-1)).toBe(size);
      // The same pass on this thread, with a smaller read buffer than the Worker's.
      expect(await hashBlob(file, { chunkSize: MiB })).toEqual({ sha256 });
      expect(await client.md5s(file, {})).toEqual(await expectedMd5s(bytes));
    });
  }

  it('hashes a disk-backed File (origin-private file system) as Node does', async () => {
    const size = 17 * MiB + 3;
    const root = await navigator.storage.getDirectory();
    const handle = await root.getFileHandle('hash-test.bin', { create: true });
    const writable = await handle.createWritable();
    await writable.write(patternBytes(size));
    await writable.close();
    try {
      const file = await handle.getFile();
      expect(await client.hash(file)).toEqual({ sha256: NODE_SHA256[size] });
      expect(await client.md5s(file, {})).toEqual(await expectedMd5s(patternBytes(size)));
    } finally {
      await root.removeEntry('hash-test.bin');
    }
  });

  it('cancels a running job', async () => {
    const controller = new AbortController();
    const hashing = client.hash(new Blob([patternBytes(64 * MiB)]), { signal: controller.signal });
    controller.abort();
    await expect(hashing).rejects.toMatchObject({ name: 'AbortError' });
  });
});
