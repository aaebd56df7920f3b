// Pure pieces of the fake server: sessions, signed URL shapes, assembling parts, file records, shared-code errors.
import { createHash, randomUUID } from 'node:crypto';
import { ERRORS, NOT_UPLOADED_REASON, type ErrorCode } from '@fieldvault/shared/errors';
import type {
  FileRecord,
  UploadBeginInput,
  UploadCompleteOutput,
} from '@fieldvault/shared/schemas';
import { sha256HexToBase64 } from '@fieldvault/shared/sha256';
import { TransportError } from '../transport';

/** One upload session as the fake server keeps it. */
export interface Session {
  id: string;
  input: UploadBeginInput;
  kind: 'single' | 'multipart';
  partSize: number;
  partCount: number;
  parts: Map<number, { etag: string; bytes: Uint8Array }>;
  state: 'open' | 'completed' | 'aborted' | 'mismatch';
  /** The verdict `complete` gave, answered again to a repeated `complete` (as the server does). */
  verdict?: UploadCompleteOutput;
}

/** Hash helper. */
export const md5 = (b: Uint8Array, enc: 'hex' | 'base64') =>
  createHash('md5').update(b).digest(enc);

/** A shared-code error as the tRPC transport would throw it. */
export function rpcError(
  code: ErrorCode,
  retryAfterMs: number | null = null,
  reason: string | null = null,
): TransportError {
  return new TransportError({
    status: ERRORS[code].status,
    code,
    reason,
    retryAfterMs,
    message: ERRORS[code].message,
  });
}

/** A presigned part URL binding the MD5 (and the SHA-256 for single PUTs), as the real server signs them. */
export function urlFor(session: Session, clock: { now: number; ttlMs: number }, n: number) {
  const expiresAt = new Date(clock.now + clock.ttlMs).toISOString();
  const url = `https://storage.test/${session.id}/${n}?expires=${Date.parse(expiresAt)}`;
  const { md5: whole, partMd5s, sha256 } = session.input;
  const headers: Record<string, string> =
    session.kind === 'single'
      ? { 'content-md5': whole ?? '', 'x-amz-checksum-sha256': sha256HexToBase64(sha256) }
      : partMd5s?.[n - 1]
        ? { 'content-md5': partMd5s[n - 1] ?? '' }
        : {};
  return { partNumber: n, url, headers, expiresAt };
}

/** The object's bytes from its stored parts; CONFLICT when none are stored, BAD_INPUT when the client's part list does not match storage. */
export function assemble(
  session: Session,
  parts: { partNumber: number; etag: string }[] | undefined,
): Uint8Array {
  // As the real server answers when storage holds nothing for the session.
  if (session.parts.size === 0) throw rpcError('CONFLICT', null, NOT_UPLOADED_REASON);
  const expected =
    session.kind === 'single' ? [1] : Array.from({ length: session.partCount }, (_, i) => i + 1);
  if (session.kind === 'multipart' && parts?.map((p) => p.partNumber).join() !== expected.join())
    throw rpcError('BAD_INPUT');
  const chunks = expected.map((n, i) => {
    const stored = session.parts.get(n);
    if (!stored || (parts && parts[i]?.etag !== stored.etag)) throw rpcError('BAD_INPUT');
    return stored.bytes;
  });
  return new Uint8Array(Buffer.concat(chunks));
}

/** A valid shared `FileRecord` for a completed session. */
export function fileRecordOf(
  session: Session,
  result: { status: 'verified' | 'mismatch'; size: number; at: number },
): FileRecord {
  const { input } = session;
  const at = new Date(result.at).toISOString();
  const orgId = '00000000-0000-4000-8000-000000000001';
  return {
    id: randomUUID(),
    orgId,
    key: `${orgId}/${input.system}/${input.objectType}/${input.objectId}/${input.captureId}-${input.filename}`,
    captureId: input.captureId,
    system: input.system,
    objectType: input.objectType,
    objectId: input.objectId,
    originalFilename: input.filename,
    safeFilename: input.filename,
    size: result.size,
    contentType: input.contentType || 'image/jpeg',
    sha256: input.sha256,
    status: result.status,
    duplicateOf: null,
    uploadedBy: orgId,
    deviceLabel: null,
    capturedAt: input.capturedAt,
    receivedAt: at,
    verifiedAt: result.status === 'verified' ? at : null,
    deletedAt: null,
    retentionUntil: null,
    version: 1,
  };
}
