// Presigned URLs for a session: which digest binds the bytes on this backend, the single PUT and the part PUTs.
import type { PartPlan } from '@fieldvault/shared/parts';
import type { PartUrl, PresignedRequest, UploadBeginOutput } from '@fieldvault/shared/schemas';
import type { FileRow, UploadBinding, UploadSessionRow } from '../db/schema.js';
import type { ObjectStore, StoreCapabilities } from '../storage/object-store.js';
import { URL_TTL_SECONDS } from './uploads.service.js';

/** Parts whose URLs `begin` returns at once; the device asks `signParts` for the rest. */
export const FIRST_PARTS = 100;

const ttl = (caps: StoreCapabilities): number => Math.min(URL_TTL_SECONDS, caps.maxPresignExpiry);

/**
 * How a session is laid out and what binds its bytes. Single PUT: the signed SHA-256 where storage
 * enforces it, else the signed whole-file MD5. With neither (an MD5-only store such as Ceph or
 * Spaces, and no `md5` from the device) a single PUT cannot be signed at all — the store refuses an
 * unbound PUT — so the upload becomes a one-part multipart session instead: it still works, the
 * session records `binding: 'none'`, and `complete`'s SHA-256 check is what catches wrong bytes.
 * Multipart: signed per-part MD5s when the device sent them, else `none` the same way (parts cannot
 * carry a whole-file SHA-256).
 */
export function planSession(
  caps: StoreCapabilities,
  upload: { plan: PartPlan; md5?: string | undefined; partMd5s?: string[] | undefined },
): { plan: PartPlan; binding: UploadBinding } {
  const { plan } = upload;
  if (plan.kind === 'multipart') {
    return { plan, binding: upload.partMd5s && caps.contentMd5Enforced ? 'md5' : 'none' };
  }
  if (caps.checksumSha256Enforced) return { plan, binding: 'sha256' };
  if (upload.md5 && caps.contentMd5Enforced) return { plan, binding: 'md5' };
  const size = plan.size;
  return {
    plan: { kind: 'multipart', size, partSize: size, partCount: 1, lastPartSize: size },
    binding: 'none',
  };
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

/** `begin`'s answer for a live session: fresh URLs every time (they expire; the session does not change). */
export async function sessionAnswer(
  store: ObjectStore,
  live: { upload: UploadSessionRow; file: FileRow },
): Promise<UploadBeginOutput> {
  const { upload, file } = live;
  const duplicateOf = file.duplicate_of ? { duplicateOf: file.duplicate_of } : {};
  if (upload.kind === 'single') {
    const put = await singlePut(store, { key: file.key, upload, file });
    return { state: 'single', sessionId: upload.id, put, ...duplicateOf };
  }
  const first = Array.from({ length: Math.min(FIRST_PARTS, upload.parts_count) }, (_, i) => i + 1);
  const parts = await partUrls(store, {
    key: file.key,
    upload,
    size: file.size,
    partNumbers: first,
  });
  return {
    state: 'multipart',
    sessionId: upload.id,
    partSize: upload.part_size,
    partCount: upload.parts_count,
    parts,
    ...duplicateOf,
  };
}
