// Receiving an in-place part: bytes copied into 1 MiB slots, each written at its offset, then MD5-hashed on a worker.
import { open } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { StorageError } from '../errors.js';
import { check } from './fs-files.js';
import type { Expected } from './fs-files.js';
import { groupSync } from './fs-group-sync.js';
import { acquireSlot, releaseSlot, SLOT_BYTES } from './fs-slots.js';
import { trace } from './fs-trace.js';
import { Md5Stream } from './fs-worker-hashes.js';

/** Slots one part may have being written and hashed while it fills the next one. */
const IN_FLIGHT = 3;

/**
 * Stream a part into `file` at `offset` (in-place multipart), refusing more than `maxSize` bytes;
 * verify against `expected` and fdatasync. Each 1 MiB slot is written (one pwrite), then lent to a
 * worker thread that hashes it, so this thread only receives and copies, nothing is read back, and
 * the MD5 is ready right after the last write; the flush may be shared with the upload's other parts
 * in flight. Bad bytes stay in the region, but no part record claims them: the caller records the
 * part only after this resolves.
 */
export async function writeVerifiedAt(
  source: AsyncIterable<Uint8Array> | NodeJS.ReadableStream,
  target: { file: string; offset: number; maxSize: number; partNumber: number },
  expected: Expected,
): Promise<{ size: number; md5Hex: string }> {
  const maxSize = Math.min(target.maxSize, expected.size ?? Infinity);
  const fh = await open(target.file, 'r+');
  const md5 = new Md5Stream();
  try {
    const writer = new SlotWriter(fh, md5, target.offset);
    const size = await writer.consume(source, { maxSize, partNumber: target.partNumber });
    trace(target.partNumber, 'written');
    if (expected.size !== undefined) check({ size, md5Hex: '' }, { size: expected.size });
    const [md5Hex] = await Promise.all([
      md5.digest().then((d) => (trace(target.partNumber, 'md5'), d)),
      groupSync(target.file, true).then(() => trace(target.partNumber, 'datasync')),
    ]);
    check({ size, md5Hex }, expected);
    return { size, md5Hex };
  } finally {
    md5.close();
    await fh.close();
  }
}

/** Fills slots from a stream and ships each full one to disk and to the MD5 worker. */
class SlotWriter {
  private slot: Buffer | undefined;
  private filled = 0;
  private position: number;
  private readonly inFlight: Promise<void>[] = [];
  private lastWrite: Promise<void> = Promise.resolve();

  constructor(
    private readonly fh: FileHandle,
    private readonly md5: Md5Stream,
    private readonly offset: number,
  ) {
    this.position = offset;
  }

  /** Copy every chunk of `source` through slots; resolves to the bytes written once all are on disk. */
  async consume(
    source: AsyncIterable<Uint8Array> | NodeJS.ReadableStream,
    o: { maxSize: number; partNumber: number },
  ): Promise<number> {
    let size = 0;
    try {
      for await (const chunk of source as AsyncIterable<Uint8Array>) {
        if (size === 0) trace(o.partNumber, 'first-byte');
        size += chunk.length;
        if (size > o.maxSize) {
          throw new StorageError('bad_size', `body is longer than the signed ${o.maxSize} bytes`);
        }
        await this.take(chunk);
      }
      trace(o.partNumber, 'received');
      if (this.slot && this.filled > 0) await this.ship();
      await Promise.all(this.inFlight);
      return this.position - this.offset;
    } finally {
      // Whatever failed, every slot goes back once nothing reads it any more.
      await Promise.allSettled(this.inFlight);
      if (this.slot) releaseSlot(this.slot.buffer as ArrayBuffer);
      this.slot = undefined;
    }
  }

  private async take(chunk: Uint8Array): Promise<void> {
    for (let at = 0; at < chunk.length;) {
      this.slot ??= acquireSlot();
      const n = Math.min(chunk.length - at, SLOT_BYTES - this.filled);
      this.slot.set(chunk.subarray(at, at + n), this.filled);
      [this.filled, at] = [this.filled + n, at + n];
      if (this.filled === SLOT_BYTES) await this.ship();
    }
  }

  /**
   * Write the current slot after the previous one, then lend it to the MD5 worker; wait while too
   * many are out. Writes go one at a time so that they finish, and slots are lent, in byte order.
   */
  private async ship(): Promise<void> {
    const slot = this.slot as Buffer;
    const [length, at] = [this.filled, this.position];
    [this.slot, this.filled, this.position] = [undefined, 0, at + length];
    const written = this.lastWrite.then(async () => {
      const { bytesWritten } = await this.fh.write(slot, 0, length, at);
      if (bytesWritten !== length) throw new Error(`short write: ${bytesWritten} of ${length}`);
    });
    this.lastWrite = written.catch(() => undefined);
    const done = written.then(
      () => this.md5.update(slot, length),
      (err: unknown) => {
        releaseSlot(slot.buffer as ArrayBuffer);
        throw err;
      },
    );
    done.catch(() => undefined); // awaited in order below or by consume()
    this.inFlight.push(done);
    while (this.inFlight.length >= IN_FLIGHT) await this.inFlight.shift();
  }
}
