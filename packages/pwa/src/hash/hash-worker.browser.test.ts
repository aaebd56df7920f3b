// The hash Worker in real Chromium: streamed digests equal WebCrypto's SHA-256 and a one-shot MD5 for edge sizes up to 100 MiB.
import { md5 } from 'hash-wasm';
import { partPlan, partRange } from '@fieldvault/shared/parts';
import { base64ToBytes, bytesToHex } from '@fieldvault/shared/sha256';
import { afterAll, describe, expect, it } from 'vitest';
import { createHashClient } from './hash-client';

const KiB = 1024;
const MiB = 1024 * KiB;

/** Deterministic bytes (same pattern as the Node tests). */
function patternBytes(size: number): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(size);
  for (let i = 0; i < size; i++) out[i] = (i * 31 + 7 + (i >> 12)) & 255;
  return out;
}

const md5Base64 = async (bytes: Uint8Array) => {
  const hex = await md5(bytes);
  return btoa(String.fromCharCode(...(hex.match(/../g) ?? []).map((h) => parseInt(h, 16))));
};

const client = createHashClient();
afterAll(() => client.close());

describe('hash worker (Chromium)', () => {
  const sizes = [
    0,
    1,
    64 * KiB - 1,
    64 * KiB + 1,
    5 * MiB - 1,
    5 * MiB + 1,
    17 * MiB + 3,
    100 * MiB,
  ];
  for (const size of sizes) {
    it(`${size} bytes: SHA-256 equals crypto.subtle, MD5s equal one-shot MD5`, async () => {
      const bytes = patternBytes(size);
      const file = new File([bytes], 'receipt.bin');
      const progress: number[] = [];
      const result = await client.hash(file, { onProgress: (p) => progress.push(p.bytesDone) });
      const expected = bytesToHex(new Uint8Array(await crypto.subtle.digest('SHA-256', bytes)));
      expect(result.sha256).toBe(expected);
      expect(result.md5).toBe(await md5Base64(bytes));
      expect(base64ToBytes(result.md5)).toHaveLength(16);
      const plan = partPlan(size);
      if (plan.kind === 'multipart') {
        const parts = await Promise.all(
          Array.from({ length: plan.partCount }, (_, i) => {
            const { start, end } = partRange(plan, i + 1);
            return md5Base64(bytes.subarray(start, end));
          }),
        );
        expect(result.partMd5s).toEqual(parts);
      } else {
        expect(result.partMd5s).toBeUndefined();
      }
      if (size > 0) expect(progress.at(-1)).toBe(size);
    });
  }

  it('cancels a running job', async () => {
    const controller = new AbortController();
    const hashing = client.hash(new Blob([patternBytes(64 * MiB)]), { signal: controller.signal });
    controller.abort();
    await expect(hashing).rejects.toMatchObject({ name: 'AbortError' });
  });
});
