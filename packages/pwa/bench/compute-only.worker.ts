// Bench helper Worker: hash-wasm compute-only rates on an in-memory buffer, on a Worker thread like the capture hash's.
import { createMD5, createSHA256 } from 'hash-wasm';
import { MiB, mbPerSecond, randomBytes } from './measure';

/** Page → Worker: which hasher, buffer size and runs; the answer is MB/s per run. */
export interface ComputeOnlyRequest {
  algorithm: 'sha256' | 'md5';
  sizeMiB: number;
  runs: number;
}

let buffer: Uint8Array | null = null;

self.addEventListener('message', (event: MessageEvent<ComputeOnlyRequest>) => {
  void (async () => {
    const { algorithm, sizeMiB, runs } = event.data;
    if (buffer?.length !== sizeMiB * MiB) buffer = randomBytes(sizeMiB * MiB);
    const hasher = await (algorithm === 'sha256' ? createSHA256() : createMD5());
    const rates: number[] = [];
    for (let run = 0; run <= runs; run++) {
      const start = performance.now();
      hasher.init();
      for (let offset = 0; offset < buffer.length; offset += 4 * MiB)
        hasher.update(buffer.subarray(offset, offset + 4 * MiB));
      hasher.digest();
      // Run 0 warms up.
      if (run > 0) rates.push(mbPerSecond(buffer.length, performance.now() - start));
    }
    self.postMessage(rates);
  })();
});
