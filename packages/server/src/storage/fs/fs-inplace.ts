// In-place multipart on disk: with the part size known up front, part n is written at (n-1)·partSize of one file,
// so completing needs no copy, and only hashes what the background prefix hasher has not hashed yet.
import { link, readdir, stat, truncate, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { StorageError } from '../errors.js';
import type { UploadedPart } from '../object-store.js';
import { fsyncPath, tmpPathIn } from './fs-files.js';
import { writeVerifiedAt } from './fs-part-write.js';
import { groupSync } from './fs-group-sync.js';
import type { Expected } from './fs-files.js';
import { etagOf, partPrefix, uploadDir } from './fs-multipart.js';
import type { FsLayout } from './fs-multipart.js';
import { multipartEtag } from '../multipart-etag.js';
import { trace } from './fs-trace.js';
import { partCommitted, partStarting, takeHashedPrefix } from './fs-prefix-hash.js';
import { ShaChain } from './fs-worker-hashes.js';
import { asOnlyWriter } from './fs-part-writers.js';

/**
 * Receive part `partNumber` straight into the upload's data file, as the part's only writer (see
 * fs-part-writers). Its old record is dropped first, so a retry with bad bytes leaves the part
 * missing (to be sent again), never a record that lies.
 */
export function receivePartInPlace(
  layout: FsLayout,
  target: { uploadId: string; partNumber: number; partSize: number },
  body: { source: NodeJS.ReadableStream; expected: Expected },
): Promise<{ etag: string }> {
  const dir = uploadDir(layout, target.uploadId);
  const writer = { dir, partNumber: target.partNumber, body: body.source };
  return asOnlyWriter(writer, () => writePart(dir, target, body)).catch((err: unknown) => {
    // The upload was completed or aborted since this PUT was let in: its directory is gone.
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new StorageError('not_found', 'no such upload', { cause: err });
    }
    throw err;
  });
}

async function writePart(
  dir: string,
  target: { partNumber: number; partSize: number },
  body: { source: NodeJS.ReadableStream; expected: Expected },
): Promise<{ etag: string }> {
  const prefix = partPrefix(target.partNumber);
  const file = path.join(dir, 'data');
  // A data file with a second name is an object already (a complete that stopped before removing its
  // upload, and a process since restarted): this PUT must change neither the object nor the part records.
  const data = await stat(file);
  if (data.isFile() && data.nlink > 1) {
    throw new StorageError('not_found', 'this upload is completed');
  }
  // Before any byte of the region changes: the background hash must not keep the old bytes.
  partStarting(dir, target.partNumber);
  for (const name of await readdir(dir)) {
    if (name.startsWith(prefix)) await unlink(path.join(dir, name));
  }
  const offset = (target.partNumber - 1) * target.partSize;
  const got = await writeVerifiedAt(
    body.source,
    { file, offset, maxSize: target.partSize, partNumber: target.partNumber },
    body.expected,
  );
  await writeFile(path.join(dir, `${prefix}${got.md5Hex}-${got.size}`), '');
  trace(target.partNumber, 'marker');
  // The marker is the commit point: durable before the ETag is answered (shared with other parts).
  await groupSync(dir, false);
  trace(target.partNumber, 'dirsync');
  partCommitted(dir, target.partSize);
  return { etag: etagOf(got.md5Hex) };
}

/**
 * Finish an in-place upload: the parts must be 1..N, all but the last exactly `partSize`. The data
 * file is cut to size, hashed (SHA-256 and the multipart ETag) and fsynced; it becomes the object.
 */
export async function assembleInPlace(
  layout: FsLayout,
  parts: readonly (UploadedPart & { file: string })[],
  partSize: number,
): Promise<{ tmpPath: string; size: number; sha256: string; etag: string }> {
  const last = parts[parts.length - 1];
  if (!last) throw new StorageError('invalid_part', 'no parts given');
  parts.forEach((p, i) => {
    if (p.partNumber !== i + 1)
      throw new StorageError('invalid_part', 'parts must be 1..N without gaps');
    if (p !== last && p.size !== partSize) {
      throw new StorageError('invalid_part', `part ${p.partNumber} is not ${partSize} bytes`);
    }
  });
  const size = (parts.length - 1) * partSize + last.size;
  await truncate(last.file, size);
  const sha = await hashTail(last.file, parts, size);
  await fsyncPath(last.file);
  // Hand over a second name, not the upload's own file: a refused commit then leaves the upload intact.
  const tmpPath = tmpPathIn(layout.tmpDir);
  await link(last.file, tmpPath);
  return { tmpPath, size, sha256: sha, etag: multipartEtag(parts.map((p) => p.etag)) };
}

/** SHA-256 of `file` (`size` bytes): the background hasher's prefix, if any, plus the rest, read on a worker. */
async function hashTail(
  file: string,
  parts: readonly { etag: string }[],
  size: number,
): Promise<string> {
  const prefix = await takeHashedPrefix(path.dirname(file), parts);
  const base = prefix?.sha ?? ShaChain.start();
  const start = prefix?.bytes ?? 0;
  let full = base;
  try {
    if (start < size) full = await base.extend({ file, offset: start, length: size - start });
    return await full.digest();
  } finally {
    base.drop();
    if (full !== base) full.drop();
  }
}
