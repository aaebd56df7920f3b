// Presigned URLs for a session: which digest binds the bytes on this backend, the single PUT and the part PUTs.
import { fail } from '@fieldvault/shared/errors';
import type { PartUrl, PresignedRequest } from '@fieldvault/shared/schemas';
import type { UploadBinding, UploadSessionRow } from '../db/schema.js';
import type { ObjectStore, StoreCapabilities } from '../storage/object-store.js';
import { URL_TTL_SECONDS } from './uploads.service.js';

/** Parts whose URLs `begin` returns at once; the device asks `signParts` for the rest. */
export const FIRST_PARTS = 100;

const ttl = (caps: StoreCapabilities): number => Math.min(URL_TTL_SECONDS, caps.maxPresignExpiry);

/**
 * What will bind the bytes. Single PUT: the signed SHA-256 where storage enforces it, else the
 * signed whole-file MD5 — required then (`BAD_INPUT` on `md5`), because an unbound single PUT could
 * land any bytes; the device computes MD5 in its one hashing pass. Multipart: signed per-part MD5s
 * when the device sent them, else nothing (`none`, kept on the session) — parts cannot carry a
 * whole-file SHA-256, and `complete` verifies the whole object's SHA-256 anyway.
 */
export function chooseBinding(
  caps: StoreCapabilities,
  upload: {
    kind: 'single' | 'multipart';
    md5?: string | undefined;
    partMd5s?: string[] | undefined;
  },
): UploadBinding {
  if (upload.kind === 'multipart')
    return upload.partMd5s && caps.contentMd5Enforced ? 'md5' : 'none';
  if (caps.checksumSha256Enforced) return 'sha256';
  if (upload.md5 && caps.contentMd5Enforced) return 'md5';
  throw fail.BAD_INPUT('md5: this storage checks Content-MD5 but not SHA-256; send the file MD5', {
    details: { field: 'md5' },
  });
}

/** The single presigned PUT of a session. */
export async function singlePut(
  store: ObjectStore,
  target: {
    key: string;
    upload: UploadSessionRow;
    file: { size: number; content_type: string; sha256: string };
  },
): Promise<PresignedRequest> {
  const { upload, file } = target;
  const signed = await store.presignPut(target.key, {
    size: file.size,
    contentType: file.content_type,
    sha256: file.sha256,
    ...(upload.md5 ? { contentMd5: upload.md5 } : {}),
    expiresIn: ttl(store.capabilities()),
  });
  return { ...signed, expiresAt: signed.expiresAt.toISOString() };
}

/** Bytes of part `n` of a session. */
function partSize(upload: UploadSessionRow, size: number, n: number): number {
  return n < upload.parts_count
    ? upload.part_size
    : size - (upload.parts_count - 1) * upload.part_size;
}

/** Presigned part PUTs for `partNumbers` (each within 1..parts_count, checked by the caller). */
export async function partUrls(
  store: ObjectStore,
  target: { key: string; upload: UploadSessionRow; size: number; partNumbers: readonly number[] },
): Promise<PartUrl[]> {
  const { upload } = target;
  const md5s = Array.isArray(upload.part_md5s) ? (upload.part_md5s as string[]) : null;
  const expiresIn = ttl(store.capabilities());
  return Promise.all(
    target.partNumbers.map(async (partNumber) => {
      const md5 = md5s?.[partNumber - 1];
      const signed = await store.presignPart(
        target.key,
        { uploadId: upload.storage_upload_id ?? '', partNumber },
        {
          size: partSize(upload, target.size, partNumber),
          expiresIn,
          ...(md5 ? { contentMd5: md5 } : {}),
        },
      );
      return {
        partNumber,
        url: signed.url,
        headers: signed.headers,
        expiresAt: signed.expiresAt.toISOString(),
      };
    }),
  );
}
