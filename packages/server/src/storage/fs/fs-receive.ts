// The fs backend's receiving end of a presigned PUT: verify the bytes against what was signed, then commit.
import { StorageError } from '../errors.js';
import { commitObject } from './fs-commit.js';
import { sha256Of, writeVerified } from './fs-files.js';
import type { Expected } from './fs-files.js';
import { receivePartInPlace } from './fs-inplace.js';
import * as mp from './fs-multipart.js';
import type { FsLayout } from './fs-multipart.js';
import { headObject } from './fs-objects.js';
import type { SignedParams } from './fs-signing.js';

/** The byte constraints a signed PUT carries (unsigned ones are not checked). */
function expectedOf(params: SignedParams): Expected {
  const expected: Expected = {};
  if (params.size !== undefined) expected.size = params.size;
  if (params.sha256 !== undefined) expected.sha256 = params.sha256;
  if (params.md5 !== undefined) expected.md5 = params.md5;
  return expected;
}

/**
 * Receive the body of a verified presigned PUT (single object or part): streamed to a temp file,
 * checked against the signed size/SHA-256/MD5 (`bad_size`/`bad_digest`, nothing left behind),
 * fsynced and committed atomically; a single PUT never replaces an existing object.
 */
export async function receiveBody(
  layout: FsLayout,
  params: SignedParams,
  body: NodeJS.ReadableStream,
): Promise<{ etag: string }> {
  const expected = expectedOf(params);
  if (params.uploadId !== undefined) {
    const target = { uploadId: params.uploadId, partNumber: params.partNumber ?? 0 };
    const { partSize } = await mp.readUpload(layout, params.key, target.uploadId);
    if (partSize !== undefined) {
      return receivePartInPlace(layout, { ...target, partSize }, { source: body, expected });
    }
    const written = await writeVerified(body, { tmpDir: layout.tmpDir, part: true }, expected);
    await mp.storePart(layout, target, written);
    return { etag: mp.etagOf(written.md5Hex) };
  }
  // Fail fast; commitObject closes the race atomically anyway.
  if (await headObject(layout, params.key)) {
    throw new StorageError('object_exists', 'an object with this key already exists');
  }
  const written = await writeVerified(body, { tmpDir: layout.tmpDir }, expected);
  const etag = mp.etagOf(written.md5Hex);
  const contentType = params.contentType ?? 'application/octet-stream';
  const meta = { sha256: sha256Of(written), etag, contentType };
  await commitObject(layout, params.key, { tmpPath: written.tmpPath, meta });
  return { etag };
}
