// Durable file primitives for the fs backend: hash-while-writing to a temp file, fsync, atomic commit.
import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { link, mkdir, open, readdir, rename, stat, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { StorageError } from '../errors.js';
import { groupSync } from './fs-group-sync.js';

/** What the bytes must match; every field is optional (unsigned fields are not checked). */
export interface Expected {
  size?: number;
  sha256?: string;
  /** Base64 MD5. */
  md5?: string;
}

/** A fully written, fsynced temp file and the digests of its bytes (`sha256` only when asked for). */
export interface WrittenFile {
  tmpPath: string;
  size: number;
  sha256?: string;
  md5Hex: string;
}

/** A fresh temp path inside `tmpDir` (same filesystem as the destination, so rename/link is atomic). */
export function tmpPathIn(tmpDir: string): string {
  return path.join(tmpDir, `${Date.now()}-${randomBytes(8).toString('hex')}.tmp`);
}

/** Counts and hashes chunks; `update` throws `bad_size` as soon as more bytes arrive than allowed. */
function chunkHasher(
  maxSize: number | undefined,
  withSha256: boolean,
): { update: (chunk: Buffer) => void; digests: () => Omit<WrittenFile, 'tmpPath'> } {
  // Parts skip SHA-256 (only their MD5 is signed and needed): it is a third of the CPU per byte.
  const sha = withSha256 ? createHash('sha256') : undefined;
  const md5 = createHash('md5');
  let size = 0;
  const update = (chunk: Buffer): void => {
    size += chunk.length;
    if (maxSize !== undefined && size > maxSize) {
      throw new StorageError('bad_size', `body is longer than the signed ${maxSize} bytes`);
    }
    sha?.update(chunk);
    md5.update(chunk);
  };
  const digests = (): Omit<WrittenFile, 'tmpPath'> => ({
    size,
    md5Hex: md5.digest('hex'),
    ...(sha ? { sha256: sha.digest('hex') } : {}),
  });
  return { update, digests };
}

/** {@link chunkHasher} as a pass-through stream stage. */
function hashingCounter(
  maxSize: number | undefined,
  withSha256: boolean,
): Transform & { digests(): Omit<WrittenFile, 'tmpPath'> } {
  const hasher = chunkHasher(maxSize, withSha256);
  const t = new Transform({
    transform(chunk: Buffer, _enc, done) {
      try {
        hasher.update(chunk);
      } catch (err) {
        done(err as Error);
        return;
      }
      done(null, chunk);
    },
  });
  return Object.assign(t, { digests: hasher.digests });
}

/** Throw `bad_size` / `bad_digest` when the written bytes do not match what was signed. */
export function check(got: Omit<WrittenFile, 'tmpPath'>, expected: Expected): void {
  if (expected.size !== undefined && got.size !== expected.size) {
    throw new StorageError(
      'bad_size',
      `body has ${got.size} bytes, signed size is ${expected.size}`,
    );
  }
  if (expected.sha256 !== undefined && got.sha256 !== expected.sha256) {
    throw new StorageError('bad_digest', 'body SHA-256 does not match the signed SHA-256');
  }
  if (
    expected.md5 !== undefined &&
    Buffer.from(got.md5Hex, 'hex').toString('base64') !== expected.md5
  ) {
    throw new StorageError('bad_digest', 'body MD5 does not match the signed Content-MD5');
  }
}

/** The SHA-256 of a file written without `part` (where it is always computed). */
export function sha256Of(written: WrittenFile): string {
  if (written.sha256 === undefined)
    throw new Error('writeVerified: SHA-256 was not computed for this file');
  return written.sha256;
}

/**
 * fsync a file or directory by path (a directory fsync makes a rename or link durable). Directory
 * entries made by concurrent writers in one directory are flushed together through groupSync.
 */
export async function fsyncPath(p: string): Promise<void> {
  const fh = await open(p, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/**
 * Stream `source` into a new temp file, hashing MD5 (and SHA-256 unless `part`) as it goes, verify
 * against `expected`, fsync. On any failure the temp file is removed, so nothing is left behind.
 */
export async function writeVerified(
  source: AsyncIterable<Uint8Array> | NodeJS.ReadableStream,
  target: { tmpDir: string; part?: boolean },
  expected: Expected,
): Promise<WrittenFile> {
  const tmpPath = tmpPathIn(target.tmpDir);
  const counter = hashingCounter(expected.size, !target.part || expected.sha256 !== undefined);
  try {
    await pipeline(
      source,
      counter,
      createWriteStream(tmpPath, { flags: 'wx', highWaterMark: 1024 * 1024 }),
    );
    const got = counter.digests();
    check(got, expected);
    await fsyncPath(tmpPath);
    return { tmpPath, ...got };
  } catch (err) {
    await unlink(tmpPath).catch(() => undefined);
    throw err;
  }
}

/**
 * Publish `tmpPath` at `dest` only if `dest` does not exist: `link()` fails with EEXIST atomically,
 * which a rename would not (rename silently replaces). The temp name is removed either way.
 */
export async function commitNoOverwrite(tmpPath: string, dest: string): Promise<void> {
  await mkdir(path.dirname(dest), { recursive: true });
  try {
    await link(tmpPath, dest);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') {
      throw new StorageError('object_exists', 'an object with this key already exists', {
        cause: err,
      });
    }
    throw err;
  } finally {
    await unlink(tmpPath).catch(() => undefined);
  }
  await groupSync(path.dirname(dest), false);
}

/** Replace `dest` with `tmpPath` atomically (rename) and make it durable. */
export async function commitReplace(tmpPath: string, dest: string): Promise<void> {
  await mkdir(path.dirname(dest), { recursive: true });
  await rename(tmpPath, dest);
  await groupSync(path.dirname(dest), false);
}

/** Write a small JSON document atomically (temp file + fsync + rename). */
export async function writeJsonAtomic(dest: string, value: unknown, tmpDir: string): Promise<void> {
  const tmpPath = tmpPathIn(tmpDir);
  await writeFile(tmpPath, JSON.stringify(value), { flag: 'wx' });
  await fsyncPath(tmpPath);
  await commitReplace(tmpPath, dest);
}

/** Temp files older than this are leftovers of a crash mid-write (live writes finish in minutes). */
const STALE_TEMP_MS = 24 * 3600 * 1000;

/** Remove temp files a crashed process left behind; another replica's live writes are younger. */
export async function removeStaleTemp(tmpDir: string): Promise<void> {
  const cutoff = Date.now() - STALE_TEMP_MS;
  for (const name of await readdir(tmpDir)) {
    const file = path.join(tmpDir, name);
    const info = await stat(file).catch(() => undefined);
    if (info && info.mtimeMs < cutoff) await unlink(file).catch(() => undefined);
  }
}
