// Prefix listing of the fs store in S3 key order: one walk that knows the directory it stands in; each object's stat and sidecar read run on probe workers.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import type { ListedObject } from '../object-store.js';
import { metaFits, type ObjectMeta } from './fs-commit.js';
import { assertSafeKey, dirNameToSegment, fileNameToSegment, prefixDir } from './fs-keys.js';
import type { FsLayout } from './fs-multipart.js';
import { headObject } from './fs-objects.js';
import { probeFiles, type Probed } from './fs-workers.js';

/**
 * Files per probe batch, and batches in flight: the walk (readdir, sort) runs ahead on this thread
 * while the probe workers stat and read sidecars (fs-probe); memory holds this many batches.
 */
const BATCH = 256;
const IN_FLIGHT = 4;

/** Characters whose UTF-16 order differs from their UTF-8 byte order (surrogates vs U+E000…U+FFFF). */
const NON_BMP_SENSITIVE = /[\uD800-\uFFFF]/;
// Control characters, backslash: what assertSafeKey refuses inside a segment.
// eslint-disable-next-line no-control-regex
const SUSPECT = /[\u0000-\u001f\u007f\\]/;

/** A directory entry as a key (file) or a key prefix ending in `/` (directory). */
interface Entry {
  name: string;
  isDir: boolean;
  key: string;
  segment: string;
}

/** One directory being walked: its path and its sorted entries, `next` the first not yet taken. */
interface Frame {
  dir: string;
  entries: Entry[];
  next: number;
}

/** Where a listing starts and what it keeps. */
interface Bounds {
  prefix: string;
  startAfter: Buffer | null;
}

/** Compare as S3 does, by UTF-8 bytes; plain string order agrees for every BMP character below U+D800. */
function byteOrder(a: string, b: string): number {
  if (NON_BMP_SENSITIVE.test(a) || NON_BMP_SENSITIVE.test(b))
    return Buffer.compare(Buffer.from(a), Buffer.from(b));
  return a < b ? -1 : a > b ? 1 : 0;
}

function isMissing(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

/**
 * Throw as keyPaths would for a key no writer can produce (a name put on disk by hand): the cheap
 * tests pick out the few keys worth the full check, so a normal key costs no re-encoding.
 */
function checkKey(key: string, segment: string): void {
  if (segment === '' || segment === '.' || segment === '..' || SUSPECT.test(segment)) {
    assertSafeKey(key);
  } else if (segment.length > 60 || key.length > 300) assertSafeKey(key);
}

/** The entries of `dir` that are keys or key directories, in S3 order. */
function sortedEntries(dir: string, keyPrefix: string): Entry[] {
  let names;
  try {
    names = readdirSync(dir, { withFileTypes: true });
  } catch (err) {
    if (isMissing(err)) return [];
    throw err;
  }
  const out: Entry[] = [];
  for (const d of names) {
    const isDir = d.isDirectory();
    const segment = isDir
      ? dirNameToSegment(d.name)
      : d.isFile()
        ? fileNameToSegment(d.name)
        : undefined;
    if (segment === undefined) continue;
    out.push({ name: d.name, isDir, key: `${keyPrefix}${segment}${isDir ? '/' : ''}`, segment });
  }
  // A directory sorts as its prefix with `/`: object `a-b` comes before everything under `a/`.
  return out.sort((a, b) => byteOrder(a.key, b.key));
}

/** True when every key under directory entry `e` is at or before `startAfter`. */
function subtreeBefore(e: Entry, startAfter: Buffer | null): boolean {
  if (!startAfter) return false;
  const bytes = Buffer.from(e.key);
  return Buffer.compare(startAfter.subarray(0, bytes.length), bytes) > 0;
}

/** True when the walk must descend into directory entry `e`. */
function descends(e: Entry, b: Bounds): boolean {
  const overlaps = e.key.startsWith(b.prefix) || b.prefix.startsWith(e.key);
  if (!overlaps || subtreeBefore(e, b.startAfter)) return false;
  checkKey(e.key.slice(0, -1), e.segment);
  return true;
}

/** True when file entry `e` is listed. */
function keeps(e: Entry, b: Bounds): boolean {
  if (!e.key.startsWith(b.prefix)) return false;
  if (b.startAfter && Buffer.compare(Buffer.from(e.key), b.startAfter) <= 0) return false;
  checkKey(e.key, e.segment);
  return true;
}

/** A file the walk keeps, before its probe: its key and path. */
interface Candidate {
  key: string;
  file: string;
}

/** The next up to {@link BATCH} files of the walk in `stack` that are listed (empty when it is done). */
function nextCandidates(stack: Frame[], b: Bounds): Candidate[] {
  const out: Candidate[] = [];
  while (out.length < BATCH) {
    const top = stack.at(-1);
    if (!top) break;
    const e = top.entries[top.next++];
    if (!e) {
      stack.pop();
      continue;
    }
    // Names from readdir hold no separator and `dir` is already normal: no path.join per object.
    const full = `${top.dir}${path.sep}${e.name}`;
    if (e.isDir) {
      if (descends(e, b)) stack.push({ dir: full, entries: sortedEntries(full, e.key), next: 0 });
    } else if (keeps(e, b)) out.push({ key: e.key, file: full });
  }
  return out;
}

/** The sidecar text parsed when it describes the probed file; null when it needs repair. */
function fittingMeta(probed: Probed & { kind: 'file' }): ObjectMeta | null {
  if (probed.sidecar === null) return null;
  let meta: ObjectMeta;
  try {
    meta = JSON.parse(probed.sidecar) as ObjectMeta;
  } catch {
    return null;
  }
  return metaFits(meta, probed) ? meta : null;
}

/**
 * The listing of a batch: files that vanished or are no regular file are left out, and a file whose
 * sidecar is missing or describes another file (a commit that crashed mid-way) goes through
 * headObject, which repairs it.
 */
async function listBatch(layout: FsLayout, batch: Candidate[]): Promise<ListedObject[]> {
  const probed = await probeFiles(batch.map((c) => c.file));
  const out: ListedObject[] = [];
  for (let i = 0; i < batch.length; i++) {
    const p = probed[i];
    const { key } = batch[i] as Candidate;
    if (!p || p.kind === 'absent') continue;
    const meta = fittingMeta(p);
    if (meta) {
      const { etag, contentType } = meta;
      out.push({ key, size: p.size, etag, lastModified: new Date(p.mtimeMs), contentType });
      continue;
    }
    const repaired = await slowListed(layout, key);
    if (repaired) out.push(repaired);
  }
  return out;
}

/** The listing of a key whose sidecar needs repair, through headObject (which repairs it). */
async function slowListed(layout: FsLayout, key: string): Promise<ListedObject | null> {
  const info = await headObject(layout, key);
  if (!info) return null;
  const { size, etag, lastModified, contentType } = info;
  return { key, size, etag, lastModified, ...(contentType ? { contentType } : {}) };
}

/**
 * Objects whose key starts with `prefix` (and, with `startAfter`, sort after it), in S3 order
 * (UTF-8 byte order), streamed: only the subtree the prefix pins down is walked, and memory holds
 * one sorted directory per level plus {@link IN_FLIGHT} batches being probed.
 */
export async function* listObjects(
  layout: FsLayout,
  prefix: string,
  startAfter?: string,
): AsyncGenerator<ListedObject> {
  const { dir, keyPrefix } = prefixDir(layout.root, prefix);
  const bounds = { prefix, startAfter: startAfter ? Buffer.from(startAfter) : null };
  const stack: Frame[] = [{ dir, entries: sortedEntries(dir, keyPrefix), next: 0 }];
  const inFlight: Promise<ListedObject[]>[] = [];
  try {
    for (;;) {
      while (inFlight.length < IN_FLIGHT) {
        const batch = nextCandidates(stack, bounds);
        if (batch.length === 0) break;
        inFlight.push(listBatch(layout, batch));
      }
      const next = inFlight.shift();
      if (!next) return;
      yield* await next;
    }
  } finally {
    // A consumer that stops early never awaits these: mark them handled.
    for (const p of inFlight) p.catch(() => undefined);
  }
}
