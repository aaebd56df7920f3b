// Committed objects on disk: reading an object's metadata sidecar (SHA-256, ETag, content type), rebuilding one that is missing. Listing is fs-list.ts.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import type { ObjectInfo } from '../object-store.js';
import { readMeta } from './fs-commit.js';
import type { ObjectMeta } from './fs-commit.js';
import { writeJsonAtomic } from './fs-files.js';
import { keyPaths } from './fs-keys.js';
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
