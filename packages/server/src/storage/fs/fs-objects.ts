// Committed objects on disk: metadata sidecars (SHA-256, ETag, content type) and prefix listing.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { ListedObject, ObjectInfo } from '../object-store.js';
import { writeJsonAtomic } from './fs-files.js';
import { dirNameToSegment, fileNameToSegment, keyPaths, prefixDir } from './fs-keys.js';
import type { FsLayout } from './fs-multipart.js';

/** The sidecar written next to every object, so `head()` answers without reading the bytes. */
export interface ObjectMeta {
  sha256: string;
  etag: string;
  contentType: string;
}

/** Write the sidecar of `key` (after the bytes are committed). */
export async function writeMeta(layout: FsLayout, key: string, meta: ObjectMeta): Promise<void> {
  await writeJsonAtomic(keyPaths(layout.root, key).meta, meta, layout.tmpDir);
}

/** Hash a committed file again; only for an object whose sidecar was lost (crash between commit and sidecar). */
async function rebuildMeta(layout: FsLayout, key: string, file: string): Promise<ObjectMeta> {
  const sha = createHash('sha256');
  const md5 = createHash('md5');
  for await (const chunk of createReadStream(file) as AsyncIterable<Buffer>) {
    sha.update(chunk);
    md5.update(chunk);
  }
  const meta = {
    sha256: sha.digest('hex'),
    etag: `"${md5.digest('hex')}"`,
    contentType: 'application/octet-stream',
  };
  await writeMeta(layout, key, meta);
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
  const { file, meta: metaPath } = keyPaths(layout.root, key);
  let info;
  try {
    info = await stat(file);
  } catch (err) {
    if (isMissing(err)) return null;
    throw err;
  }
  if (!info.isFile()) return null;
  const meta = await readFile(metaPath, 'utf8').then(
    (raw) => JSON.parse(raw) as ObjectMeta,
    () => rebuildMeta(layout, key, file),
  );
  const { sha256, etag, contentType } = meta;
  return { key, size: info.size, etag, contentType, lastModified: info.mtime, sha256, file };
}

/** Every key under `dir` (recursively), with `keyPrefix` prepended. */
async function collectKeys(dir: string, keyPrefix: string, out: string[]): Promise<void> {
  const entries = await readdir(dir, { withFileTypes: true }).catch((err: unknown) => {
    if (isMissing(err)) return [];
    throw err;
  });
  for (const entry of entries) {
    if (entry.isDirectory()) {
      const segment = dirNameToSegment(entry.name);
      if (segment !== undefined)
        await collectKeys(path.join(dir, entry.name), `${keyPrefix}${segment}/`, out);
    } else if (entry.isFile()) {
      const segment = fileNameToSegment(entry.name);
      if (segment !== undefined) out.push(`${keyPrefix}${segment}`);
    }
  }
}

/**
 * Objects whose key starts with `prefix`, in S3 order (UTF-8 byte order). Only the subtree the
 * prefix pins down is walked; its keys are sorted in memory, which is fine for one prefix's worth.
 */
export async function* listObjects(layout: FsLayout, prefix: string): AsyncGenerator<ListedObject> {
  const { dir, keyPrefix } = prefixDir(layout.root, prefix);
  const keys: string[] = [];
  await collectKeys(dir, keyPrefix, keys);
  const sorted = keys
    .filter((k) => k.startsWith(prefix))
    .sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  for (const key of sorted) {
    const info = await headObject(layout, key);
    if (info) yield { key, size: info.size, etag: info.etag, lastModified: info.lastModified };
  }
}
