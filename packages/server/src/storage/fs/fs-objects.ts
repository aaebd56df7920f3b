// Committed objects on disk: metadata sidecars (SHA-256, ETag, content type) and prefix listing.
import { createHash } from 'node:crypto';
import { createReadStream, readFileSync, statSync } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Stats } from 'node:fs';
import type { ListedObject, ObjectInfo } from '../object-store.js';
import { metaFits, readMeta } from './fs-commit.js';
import type { ObjectMeta } from './fs-commit.js';
import { writeJsonAtomic } from './fs-files.js';
import { dirNameToSegment, fileNameToSegment, keyPaths, prefixDir } from './fs-keys.js';
import type { FsLayout } from './fs-multipart.js';

/**
 * Hash a committed file again: only for an object with no sidecar that describes it, which the
 * commit order in fs-commit no longer leaves behind (objects from before it could). The content
 * type is unknowable from here.
 */
async function rebuildMeta(
  layout: FsLayout,
  key: string,
  file: { path: string; info: Stats },
): Promise<ObjectMeta> {
  const sha = createHash('sha256');
  const md5 = createHash('md5');
  for await (const chunk of createReadStream(file.path) as AsyncIterable<Buffer>) {
    sha.update(chunk);
    md5.update(chunk);
  }
  const meta = {
    sha256: sha.digest('hex'),
    etag: `"${md5.digest('hex')}"`,
    contentType: 'application/octet-stream',
    ino: file.info.ino,
    size: file.info.size,
  };
  await writeJsonAtomic(keyPaths(layout.root, key).meta, meta, layout.tmpDir);
  return meta;
}

function isMissing(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

/** Metadata of `key` plus its file path, or null when it does not exist. */
export async function headObject(
  layout: FsLayout,
  key: string,
): Promise<(ObjectInfo & { file: string }) | null> {
  const { file } = keyPaths(layout.root, key);
  let info;
  try {
    info = await stat(file);
  } catch (err) {
    if (isMissing(err)) return null;
    throw err;
  }
  if (!info.isFile()) return null;
  const meta =
    (await readMeta(layout, file, info)) ?? (await rebuildMeta(layout, key, { path: file, info }));
  const { sha256, etag, contentType } = meta;
  return { key, size: info.size, etag, contentType, lastModified: info.mtime, sha256, file };
}

/** A directory entry as a key or a key prefix, with the bytes S3 would sort it by. */
interface WalkEntry {
  name: string;
  isDir: boolean;
  /** The key (file) or the key prefix ending in `/` (directory). */
  key: string;
  bytes: Buffer;
}

/** The entries of `dir` that are keys or key directories, in S3 order. */
async function sortedEntries(dir: string, keyPrefix: string): Promise<WalkEntry[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch((err: unknown) => {
    if (isMissing(err)) return [];
    throw err;
  });
  const out: WalkEntry[] = [];
  for (const entry of entries) {
    const isDir = entry.isDirectory();
    const segment = isDir
      ? dirNameToSegment(entry.name)
      : entry.isFile()
        ? fileNameToSegment(entry.name)
        : undefined;
    if (segment === undefined) continue;
    const key = `${keyPrefix}${segment}${isDir ? '/' : ''}`;
    out.push({ name: entry.name, isDir, key, bytes: Buffer.from(key) });
  }
  // A directory sorts as its prefix with `/`: object `a-b` comes before everything under `a/`.
  return out.sort((a, b) => Buffer.compare(a.bytes, b.bytes));
}

/** Where a walk starts and what it keeps. */
interface WalkBounds {
  prefix: string;
  startAfter: Buffer | null;
}

/** True when every key under directory entry `e` is at or before `startAfter`. */
function subtreeBefore(e: WalkEntry, startAfter: Buffer | null): boolean {
  if (!startAfter) return false;
  const head = startAfter.subarray(0, e.bytes.length);
  return Buffer.compare(head, e.bytes) > 0;
}

/** Keys under `dir` in S3 order, depth first; memory is one sorted directory per level. */
async function* walk(dir: string, keyPrefix: string, b: WalkBounds): AsyncGenerator<string> {
  for (const e of await sortedEntries(dir, keyPrefix)) {
    if (e.isDir) {
      const overlaps = e.key.startsWith(b.prefix) || b.prefix.startsWith(e.key);
      if (overlaps && !subtreeBefore(e, b.startAfter))
        yield* walk(path.join(dir, e.name), e.key, b);
    } else if (e.key.startsWith(b.prefix)) {
      if (!b.startAfter || Buffer.compare(e.bytes, b.startAfter) > 0) yield e.key;
    }
  }
}

/** Metadata read for this many keys at once: the walk stays in order, the disk sees parallel reads. */
const HEAD_BATCH = 64;

/**
 * Objects whose key starts with `prefix` (and, with `startAfter`, sort after it), in S3 order
 * (UTF-8 byte order), streamed: only the subtree the prefix pins down is walked, one sorted
 * directory per level held at a time.
 */
export async function* listObjects(
  layout: FsLayout,
  prefix: string,
  startAfter?: string,
): AsyncGenerator<ListedObject> {
  const { dir, keyPrefix } = prefixDir(layout.root, prefix);
  const bounds = { prefix, startAfter: startAfter ? Buffer.from(startAfter) : null };
  let batch: string[] = [];
  const flush = async (): Promise<ListedObject[]> => {
    const infos = await Promise.all(batch.map((k) => listedFast(layout, k)));
    batch = [];
    return infos.filter((i) => i !== null);
  };
  for await (const key of walk(dir, keyPrefix, bounds)) {
    batch.push(key);
    if (batch.length >= HEAD_BATCH) yield* await flush();
  }
  yield* await flush();
}

/**
 * Listing metadata of one key read synchronously: a stat and a small sidecar read take microseconds,
 * while their async forms queue on libuv's four threads (a listing ran 6k keys/s that way). Batches
 * of {@link HEAD_BATCH} keep each blocking stretch well under a millisecond. A missing sidecar falls
 * back to the async path that rebuilds it.
 */
async function listedFast(layout: FsLayout, key: string): Promise<ListedObject | null> {
  const { file, meta } = keyPaths(layout.root, key);
  let info;
  try {
    info = statSync(file);
    if (!info.isFile()) return null;
    const m = JSON.parse(readFileSync(meta, 'utf8')) as ObjectMeta;
    // A sidecar of another file (a commit that crashed mid-way) goes to the repairing slow path.
    if (!metaFits(m, info)) throw new Error('sidecar describes another file');
    return {
      key,
      size: info.size,
      etag: m.etag,
      lastModified: info.mtime,
      contentType: m.contentType,
    };
  } catch (err) {
    if (!info) {
      if (isMissing(err)) return null;
      throw err;
    }
    const slow = await headObject(layout, key);
    return slow ? toListed(slow) : null;
  }
}

function toListed(info: ObjectInfo): ListedObject {
  const { key, size, etag, lastModified, contentType } = info;
  return { key, size, etag, lastModified, ...(contentType ? { contentType } : {}) };
}
