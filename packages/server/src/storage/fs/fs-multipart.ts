// Multipart uploads on disk: one directory per upload, one self-describing file per part; survives restarts.
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readdir, readFile, rm, stat, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { MiB, MIN_PART_SIZE } from '@fieldvault/shared/parts';
import { StorageError } from '../errors.js';
import type { MultipartUploadInfo, UploadedPart } from '../object-store.js';
import { multipartEtag } from '../multipart-etag.js';
import { commitReplace, fsyncPath, tmpPathIn, writeJsonAtomic } from './fs-files.js';
import type { WrittenFile } from './fs-files.js';

/** Where the fs backend keeps its state: `root` for objects, `tmpDir` and `uploadsDir` beside them. */
export interface FsLayout {
  root: string;
  tmpDir: string;
  uploadsDir: string;
}

/** `upload.json`: what the upload is for. With `partSize`, parts are written in place (see fs-inplace). */
export interface UploadRecord {
  key: string;
  contentType: string;
  initiated: string;
  partSize?: number;
}

const UPLOAD_ID = /^[0-9a-f]{32}$/;
/**
 * `part-00003-<md5 hex>` (the part's own bytes) or `part-00003-<md5 hex>-<size>` (an empty marker
 * for bytes written in place): the name is the commit point and carries the ETag, so no separate
 * index can go stale.
 */
const PART_FILE = /^part-(\d{5})-([0-9a-f]{32})(?:-(\d+))?$/;

/** Name prefix shared by every record of one part number. */
export function partPrefix(partNumber: number): string {
  return `part-${String(partNumber).padStart(5, '0')}-`;
}

/** Quoted MD5 hex, the S3 ETag form. */
export function etagOf(md5Hex: string): string {
  return `"${md5Hex}"`;
}

/** The directory of one upload (its record, parts and in-place data file). */
export function uploadDir(layout: FsLayout, uploadId: string): string {
  // The id becomes a path segment: accept only what we generate.
  if (!UPLOAD_ID.test(uploadId)) throw new StorageError('not_found', 'no such multipart upload');
  return path.join(layout.uploadsDir, uploadId);
}

/** Start an upload for `key`; returns its id (128 random bits, hex). */
export async function createUpload(
  layout: FsLayout,
  key: string,
  options: { contentType: string; partSize?: number },
): Promise<string> {
  const uploadId = randomBytes(16).toString('hex');
  const dir = uploadDir(layout, uploadId);
  await mkdir(dir, { recursive: true });
  const record: UploadRecord = { key, ...options, initiated: new Date().toISOString() };
  if (options.partSize !== undefined) await writeFile(path.join(dir, 'data'), '', { flag: 'wx' });
  await writeJsonAtomic(path.join(dir, 'upload.json'), record, layout.tmpDir);
  return uploadId;
}

/** The upload's record; `not_found` when it does not exist or belongs to another key. */
export async function readUpload(
  layout: FsLayout,
  key: string,
  uploadId: string,
): Promise<UploadRecord> {
  let record: UploadRecord;
  try {
    record = JSON.parse(
      await readFile(path.join(uploadDir(layout, uploadId), 'upload.json'), 'utf8'),
    ) as UploadRecord;
  } catch (err) {
    if (err instanceof StorageError) throw err;
    throw new StorageError('not_found', 'no such multipart upload', { cause: err });
  }
  if (record.key !== key) throw new StorageError('not_found', 'no such multipart upload');
  return record;
}

/** Move a verified part into its upload; a re-uploaded part number replaces the earlier bytes. */
export async function storePart(
  layout: FsLayout,
  target: { uploadId: string; partNumber: number },
  written: WrittenFile,
): Promise<void> {
  const dir = uploadDir(layout, target.uploadId);
  const prefix = partPrefix(target.partNumber);
  const name = `${prefix}${written.md5Hex}`;
  await commitReplace(written.tmpPath, path.join(dir, name));
  for (const other of await readdir(dir)) {
    if (other.startsWith(prefix) && other !== name)
      await unlink(path.join(dir, other)).catch(() => undefined);
  }
}

/** Every stored part, ordered by part number. */
export async function listPartFiles(
  layout: FsLayout,
  uploadId: string,
): Promise<(UploadedPart & { file: string })[]> {
  const dir = uploadDir(layout, uploadId);
  const parts: (UploadedPart & { file: string })[] = [];
  for (const name of await readdir(dir)) {
    const m = PART_FILE.exec(name);
    if (!m?.[1] || !m[2]) continue;
    const inPlace = m[3] !== undefined;
    const file = path.join(dir, inPlace ? 'data' : name);
    const size = inPlace ? Number(m[3]) : (await stat(file)).size;
    parts.push({ partNumber: Number(m[1]), etag: etagOf(m[2]), size, file });
  }
  return parts.sort((a, b) => a.partNumber - b.partNumber);
}

/** Pick the files for the parts the caller names; the same rules as S3 (ascending, ETags match, ≥ 5 MiB but the last). */
export async function selectParts(
  layout: FsLayout,
  uploadId: string,
  wanted: readonly { partNumber: number; etag: string }[],
): Promise<(UploadedPart & { file: string })[]> {
  const stored = new Map((await listPartFiles(layout, uploadId)).map((p) => [p.partNumber, p]));
  const bad = (msg: string): never => {
    throw new StorageError('invalid_part', msg);
  };
  if (wanted.length === 0) bad('no parts given');
  return wanted.map((w, i) => {
    const part = stored.get(w.partNumber);
    if (i > 0 && w.partNumber <= (wanted[i - 1]?.partNumber ?? 0))
      bad('parts must be in ascending order');
    if (!part || part.etag !== `"${w.etag.replace(/"/g, '')}"`)
      return bad(`part ${w.partNumber} missing or ETag differs`);
    if (i < wanted.length - 1 && part.size < MIN_PART_SIZE)
      bad(`part ${w.partNumber} is smaller than 5 MiB`);
    return part;
  });
}

/**
 * Concatenate parts into a temp file in constant memory, computing the whole-object SHA-256 and the
 * S3-style multipart ETag (MD5 of the part MD5s, `-N`) on the way; fsynced before returning.
 */
export async function concatParts(
  layout: FsLayout,
  parts: readonly (UploadedPart & { file: string })[],
): Promise<{ tmpPath: string; size: number; sha256: string; etag: string }> {
  const tmpPath = tmpPathIn(layout.tmpDir);
  const sha = createHash('sha256');
  let size = 0;
  async function* chunks(): AsyncGenerator<Buffer> {
    for (const part of parts) {
      const stream = createReadStream(part.file, { highWaterMark: MiB }) as AsyncIterable<Buffer>;
      for await (const chunk of stream) {
        sha.update(chunk);
        size += chunk.length;
        yield chunk;
      }
    }
  }
  try {
    // A pipeline (not read-then-await-write) keeps reads ahead of the disk writes: ~2x faster.
    await pipeline(chunks(), createWriteStream(tmpPath, { flags: 'wx', highWaterMark: 8 * MiB }));
    await fsyncPath(tmpPath);
  } catch (err) {
    await unlink(tmpPath).catch(() => undefined);
    throw err;
  }
  const etag = multipartEtag(parts.map((p) => p.etag));
  return { tmpPath, size, sha256: sha.digest('hex'), etag };
}

/** Remove an upload and all its parts (idempotent). */
export async function removeUpload(layout: FsLayout, uploadId: string): Promise<void> {
  await rm(uploadDir(layout, uploadId), { recursive: true, force: true });
  await fsyncPath(layout.uploadsDir).catch(() => undefined);
}

/** Uploads whose key starts with `prefix`. */
export async function* listUploads(
  layout: FsLayout,
  prefix: string,
): AsyncGenerator<MultipartUploadInfo> {
  const ids = (await readdir(layout.uploadsDir).catch(() => [] as string[])).filter((id) =>
    UPLOAD_ID.test(id),
  );
  for (const uploadId of ids.sort()) {
    const raw = await readFile(path.join(layout.uploadsDir, uploadId, 'upload.json'), 'utf8').catch(
      () => undefined,
    );
    if (raw === undefined) continue; // being created or removed right now
    const record = JSON.parse(raw) as UploadRecord;
    if (record.key.startsWith(prefix))
      yield { key: record.key, uploadId, initiated: new Date(record.initiated) };
  }
}
