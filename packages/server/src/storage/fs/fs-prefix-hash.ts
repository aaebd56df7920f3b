// Background SHA-256 of an in-place upload: hashes the contiguous prefix of committed parts while the rest
// is still arriving (a worker reads the data file, mostly from the page cache), so completing only hashes the tail.
import { createHash } from 'node:crypto';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { trace } from './fs-trace.js';
import { ShaChain } from './fs-worker-hashes.js';

/** A committed part as its marker file names it (`part-00003-<md5 hex>-<size>`). */
interface Marker {
  name: string;
  md5Hex: string;
  size: number;
}

/** The SHA-256 state over the first `bytes` bytes of an upload; whoever takes it drops it when done. */
export interface HashedPrefix {
  sha: ShaChain;
  bytes: number;
}

const MARKER = /^part-(\d{5})-([0-9a-f]{32})-(\d+)$/;

/** Committed in-place parts by number, read from the upload directory. */
async function listMarkers(dir: string): Promise<Map<number, Marker>> {
  const found = new Map<number, Marker>();
  for (const name of await readdir(dir)) {
    const m = MARKER.exec(name);
    if (m?.[1] && m[2] && m[3]) found.set(Number(m[1]), { name, md5Hex: m[2], size: Number(m[3]) });
  }
  return found;
}

/** Identity of a marker file: another process re-creating it (a re-upload) changes inode or ctime. */
async function markerId(dir: string, name: string): Promise<string | undefined> {
  const s = await stat(path.join(dir, name), { bigint: true }).catch(() => undefined);
  return s ? `${s.ino}:${s.ctimeNs}` : undefined;
}

/**
 * One upload's hasher. Nothing is persisted (a hash state cannot be saved): after a restart a new
 * hasher starts from part 1. Invariant: `sha` covers exactly parts 1..`parts`, whose bytes on disk
 * were unchanged while they were read (checked by the marker's identity before and after the read).
 * The state lives on a worker thread (fs-workers), which reads and hashes each part: this thread,
 * which receives every part's bytes, only orders the work.
 */
class PrefixHasher {
  private sha = ShaChain.start();
  /** MD5 over the hashed parts' MD5s: at completion it proves they are the parts being completed. */
  private etags = createHash('md5');
  private parts = 0;
  private bytes = 0;
  private current = 0;
  private generation = 0;
  private kicked = false;
  private stopped = false;
  private running: Promise<void> | undefined;

  constructor(
    private readonly dir: string,
    private readonly partSize: number,
  ) {}

  /** Part `n` is about to be rewritten: forget anything hashed from it on. */
  invalidate(n: number): void {
    if (n === this.current) this.generation++;
    if (n > this.parts) return;
    // A hash cannot be rewound: start over (re-uploading an already hashed part is rare).
    this.generation++;
    this.sha.drop();
    this.sha = ShaChain.start();
    this.etags = createHash('md5');
    this.parts = this.bytes = 0;
  }

  /** A part was committed: advance as far as the contiguous prefix now reaches. */
  kick(): void {
    this.kicked = true;
    this.running ??= this.loop().finally(() => (this.running = undefined));
  }

  /** Wait until the loop has caught up with every part committed so far. */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  /** Stop and wait for the loop; then the state no longer changes. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.generation++;
    await this.running;
  }

  /** Stop for good and free the state on its worker (abort, or a prefix nobody takes). */
  async discard(): Promise<void> {
    await this.stop();
    this.sha.drop();
  }

  /** The hashed prefix, if its parts are the first ones of `parts` (same numbers and MD5s). */
  prefixFor(parts: readonly { etag: string }[]): HashedPrefix | undefined {
    if (this.parts === 0 || this.parts > parts.length) return undefined;
    const check = createHash('md5');
    for (const p of parts.slice(0, this.parts))
      check.update(Buffer.from(p.etag.replace(/"/g, ''), 'hex'));
    if (check.digest('hex') !== this.etags.copy().digest('hex')) return undefined;
    return { sha: this.sha, bytes: this.bytes };
  }

  private async loop(): Promise<void> {
    while (this.kicked && !this.stopped) {
      this.kicked = false;
      // Best effort: on any error (upload removed, disk trouble) completion hashes what is missing.
      await this.advance().catch(() => (this.stopped = true));
    }
  }

  private async advance(): Promise<void> {
    const markers = await listMarkers(this.dir);
    for (;;) {
      const marker = markers.get(this.parts + 1);
      const lastWasFull = this.bytes === this.parts * this.partSize;
      if (this.stopped || !marker || !lastWasFull) return;
      if (!(await this.hashPart(this.parts + 1, marker))) {
        this.kicked = true; // changed under us: list again
        return;
      }
    }
  }

  /** Extend the state by part `n` on its worker; adopt the result only if nothing touched the part meanwhile. */
  private async hashPart(n: number, marker: Marker): Promise<boolean> {
    this.current = n;
    trace(n, 'sha-start');
    const generation = this.generation;
    const base = this.sha;
    let work: ShaChain | undefined;
    try {
      const before = await markerId(this.dir, marker.name);
      if (!before) return false;
      const region = { file: path.join(this.dir, 'data'), offset: (n - 1) * this.partSize };
      work = await base.extend({ ...region, length: marker.size });
      const after = await markerId(this.dir, marker.name);
      if (generation !== this.generation || after !== before) {
        work.drop();
        return false;
      }
    } finally {
      this.current = 0;
    }
    trace(n, 'sha-end');
    [this.sha, this.parts, this.bytes] = [work, n, this.bytes + marker.size];
    base.drop();
    this.etags.update(Buffer.from(marker.md5Hex, 'hex'));
    return true;
  }
}

/** Hashers by upload directory, shared by every store instance of this process. */
const hashers = new Map<string, PrefixHasher>();

/** Call before part `partNumber` of the upload in `dir` is (re)written. */
export function partStarting(dir: string, partNumber: number): void {
  hashers.get(dir)?.invalidate(partNumber);
}

/** Call after a part of the upload in `dir` is committed; starts or wakes its hasher. */
export function partCommitted(dir: string, partSize: number): void {
  let hasher = hashers.get(dir);
  if (!hasher) hashers.set(dir, (hasher = new PrefixHasher(dir, partSize)));
  hasher.kick();
}

/** Drop the upload's hasher (abort); its loop stops at its next step. */
export function forgetUpload(dir: string): void {
  const hasher = hashers.get(dir);
  hashers.delete(dir);
  void hasher?.discard();
}

/**
 * Stop the upload's hasher and hand over its state if it covers a prefix of `parts` (the validated
 * parts being completed, in order; the caller drops it); undefined means "hash from byte 0".
 */
export async function takeHashedPrefix(
  dir: string,
  parts: readonly { etag: string }[],
): Promise<HashedPrefix | undefined> {
  const hasher = hashers.get(dir);
  if (!hasher) return undefined;
  hashers.delete(dir);
  await hasher.stop();
  const prefix = hasher.prefixFor(parts);
  if (!prefix) await hasher.discard();
  return prefix;
}

/** Resolve once the upload's hasher (if any) has hashed every contiguous part committed so far (tests). */
export async function hasherIdle(dir: string): Promise<void> {
  await hashers.get(dir)?.idle();
}

/** Drop every hasher, as a process restart would (tests only). */
export function resetPrefixHashersForTests(): void {
  for (const dir of [...hashers.keys()]) forgetUpload(dir);
}
