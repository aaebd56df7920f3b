// Hash states kept on the fs worker threads: an upload's SHA-256 chain and a part's MD5 fed as its bytes are written.
import type { FsWorker, Region } from './fs-workers.js';
import { releaseSlot } from './fs-slots.js';
import { idlestWorker } from './fs-workers.js';

let nextState = 0;

/**
 * A SHA-256 state held by one worker thread, extended region by region off this thread. Immutable:
 * `extend` answers a new state and leaves this one as it was (so a caller can drop an extension it
 * no longer trusts); `drop` each state once it is no longer needed.
 */
export class ShaChain {
  private constructor(
    private readonly worker: FsWorker,
    private readonly id: number,
  ) {}

  /** The empty state (hash of zero bytes), on the least busy worker. */
  static start(): ShaChain {
    return new ShaChain(idlestWorker(), 0);
  }

  /** This state followed by the bytes of `region` (read by the worker, so from disk or page cache). */
  async extend(region: Region): Promise<ShaChain> {
    const into = ++nextState;
    await this.worker.run({ op: 'sha-extend', base: this.id, into, ...region });
    return new ShaChain(this.worker, into);
  }

  /** Hex digest of the bytes hashed so far. */
  async digest(): Promise<string> {
    if (this.id === 0) return ShaChain.EMPTY;
    const a = await this.worker.run({ op: 'sha-digest', state: this.id });
    if (a.digest === undefined) throw new Error('fs worker: malformed digest answer');
    return a.digest;
  }

  /** Free the state on its worker (best effort: a dead worker took it along). */
  drop(): void {
    if (this.id !== 0)
      this.worker.run({ op: 'sha-drop', states: [this.id] }).catch(() => undefined);
  }

  private static readonly EMPTY =
    'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
}

/**
 * The MD5 of a part's bytes, computed on a worker thread from the slots (fs-slots) the receiving
 * thread wrote them from: no read-back of the region afterwards, and the digest is ready right after
 * the last slot. Updates are hashed in the order they are sent (one worker per stream).
 */
export class Md5Stream {
  private readonly worker = idlestWorker();
  private readonly id = ++nextState;
  private open = true;

  /**
   * Hash the first `length` bytes of `slot` next. The slot's memory is moved to the worker (the slot
   * reads as empty from here on) and back into the slot pool once hashed.
   */
  async update(slot: Buffer, length: number): Promise<void> {
    const lent = slot.buffer as ArrayBuffer;
    const a = await this.worker.run({ op: 'md5-update', stream: this.id, lent, length }, [lent]);
    if (a.lent) releaseSlot(a.lent);
  }

  /** Hex MD5 of every byte passed to `update`; the stream is closed afterwards. */
  async digest(): Promise<string> {
    this.open = false;
    const answer = await this.worker.run({ op: 'md5-digest', stream: this.id });
    if (answer.digest === undefined) throw new Error('fs worker: malformed digest answer');
    return answer.digest;
  }

  /** Free the state on the worker unless `digest` already did (failed or refused parts). */
  close(): void {
    if (!this.open) return;
    this.open = false;
    this.worker.run({ op: 'md5-drop', stream: this.id }).catch(() => undefined);
  }
}
