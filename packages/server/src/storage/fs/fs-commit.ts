// Publishing an object on disk so that a crash never exposes its bytes without their metadata.
import { randomBytes } from 'node:crypto';
import { readdir, readFile, rename, unlink } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { commitNoOverwrite, fsyncPath, writeJsonAtomic } from './fs-files.js';
import { groupSync } from './fs-group-sync.js';
import { keyPaths } from './fs-keys.js';
import type { FsLayout } from './fs-multipart.js';

/**
 * The sidecar next to every object (`<leaf>@meta.json`), so `head()` answers without reading the
 * bytes. `ino` and `size` name the file it describes (absent in sidecars written before they were
 * recorded, which are trusted as they are).
 */
export interface ObjectMeta {
  sha256: string;
  etag: string;
  contentType: string;
  ino?: number;
  size?: number;
}

/*
 * Why this order. Bytes and sidecar are two files and no filesystem renames two files at once; the
 * bytes can give their hashes back, never their content type, so the sidecar must exist first:
 *   1. the sidecar is written durably under a name of its own, `<leaf>@pending-<random>.json`,
 *      stamped with the inode and size of the temp file that holds the bytes;
 *   2. the bytes are linked in (`link()`: atomic, refuses to overwrite): the object is visible from
 *      here on, and `link()` keeps the inode, so the pending sidecar names it;
 *   3. the pending sidecar is renamed over `<leaf>@meta.json`.
 * A crash before 2 leaves no object (names with `@` are never keys, so the pending file is
 * invisible); a crash between 2 and 3 leaves an object whose `@meta.json` is missing, or stale (a
 * delete that crashed between its two unlinks), and `readMeta` promotes the pending sidecar whose
 * inode and size match. Rejected: the sidecar first at its final name (a second writer that then
 * loses the link race with `object_exists` would already have replaced the winner's sidecar); one
 * file with a metadata header (the GET route and Range reads serve the file as it is); deriving a
 * lost sidecar on read (that is exactly how the content type was lost).
 */

/** Metadata of an object about to be committed; `ino`/`size` are stamped from its temp file. */
export type NewObjectMeta = Omit<ObjectMeta, 'ino' | 'size'>;

/**
 * Publish the fsynced temp file `tmpPath` as `key` with `meta`, never replacing an existing object
 * (`object_exists`), in the crash-safe order above. The temp name is gone afterwards either way.
 */
export async function commitObject(
  layout: FsLayout,
  key: string,
  committing: { tmpPath: string; meta: NewObjectMeta },
): Promise<void> {
  const { file, meta: metaPath } = keyPaths(layout.root, key);
  const info = await stat(committing.tmpPath);
  const pending = `${file}@pending-${randomBytes(8).toString('hex')}.json`;
  const record: ObjectMeta = { ...committing.meta, ino: info.ino, size: info.size };
  // A sidecar naming our temp file's inode describes a deleted file whose inode we now reuse (a
  // delete that crashed between its unlinks): drop it, or it would seem to fit the new bytes.
  const stale = await readJson(metaPath);
  if (stale?.ino === info.ino) await unlink(metaPath).catch(() => undefined);
  try {
    // writeJsonAtomic fsyncs the directory: the pending sidecar is durable before the link is.
    await writeJsonAtomic(pending, record, layout.tmpDir);
    await commitNoOverwrite(committing.tmpPath, file);
  } catch (err) {
    await unlink(committing.tmpPath).catch(() => undefined);
    await unlink(pending).catch(() => undefined);
    throw err;
  }
  await rename(pending, metaPath);
  await groupSync(path.dirname(file), false);
}

/** True when a sidecar describes the file `info` (or predates the stamp and cannot tell). */
export function metaFits(meta: ObjectMeta, info: Pick<Stats, 'ino' | 'size'>): boolean {
  return meta.ino === undefined || (meta.ino === info.ino && meta.size === info.size);
}

async function readJson(file: string): Promise<ObjectMeta | null> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as ObjectMeta;
  } catch {
    return null;
  }
}

/** Promote the pending sidecar of `file` that names it (a commit that crashed after its link). */
async function promotePending(
  file: string,
  metaPath: string,
  info: Stats,
): Promise<ObjectMeta | null> {
  const dir = path.dirname(file);
  const prefix = `${path.basename(file)}@pending-`;
  const names = await readdir(dir).catch(() => [] as string[]);
  for (const name of names.filter((n) => n.startsWith(prefix))) {
    const candidate = await readJson(path.join(dir, name));
    if (candidate?.ino === undefined || !metaFits(candidate, info)) continue;
    // Another reader may promote the same file first; the content is the same either way.
    await rename(path.join(dir, name), metaPath).catch(() => undefined);
    await fsyncPath(dir);
    return candidate;
  }
  return null;
}

/**
 * The sidecar of the committed file `file` (stat `info`), repaired after a crash mid-commit; null
 * when no sidecar describes it (only objects written before this commit order existed).
 */
export async function readMeta(
  layout: FsLayout,
  file: string,
  info: Stats,
): Promise<ObjectMeta | null> {
  const metaPath = `${file}@meta.json`;
  const meta = await readJson(metaPath);
  if (meta && metaFits(meta, info)) return meta;
  const promoted = await promotePending(file, metaPath, info);
  if (promoted) return promoted;
  if (meta && meta.size === info.size) {
    // Same size, other inode, nothing pending: the directory was copied (a backup restored), which
    // renumbers inodes. Re-stamp it so the next read takes the fast path.
    const restamped = { ...meta, ino: info.ino };
    await writeJsonAtomic(metaPath, restamped, layout.tmpDir);
    return restamped;
  }
  return null;
}
