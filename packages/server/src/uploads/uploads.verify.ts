// The storage side of `complete`: assemble the object (server-side multipart completion), hash and sniff it, quarantine a mismatch or a type lie.
import { createHash } from 'node:crypto';
import { normalizeContentType } from '@fieldvault/shared/catalog';
import { bytesMatchType } from '@fieldvault/shared/check';
import { fail, NOT_UPLOADED_REASON } from '@fieldvault/shared/errors';
import { SNIFF_BYTES, sniffContentType, sniffMarkup } from '@fieldvault/shared/sniff';
import { quarantineKey } from '@fieldvault/shared/keys';
import type { UploadCompleteInput } from '@fieldvault/shared/schemas';
import type { Database } from '../db/database.js';
import type { FileRow, UploadSessionRow } from '../db/schema.js';
import { isStorageError } from '../storage/errors.js';
import { multipartEtag } from '../storage/multipart-etag.js';
import { fileHoldsKey } from './uploads.repository.js';
import type { ObjectInfo, ObjectStore } from '../storage/object-store.js';

/** A claimed session and what the device sent to complete it. */
export interface VerifyTarget {
  upload: UploadSessionRow;
  file: FileRow;
  parts: UploadCompleteInput['parts'];
}

/** What storage holds for the session and whether it is the capture. */
export interface Inspection {
  stored: ObjectInfo;
  /** SHA-256 of the stored bytes. */
  actual: string;
  /** Where mismatched or refused bytes now live (under `quarantine/`), or null when they are verified. */
  movedTo: string | null;
  /** Set when the bytes hash true but are not the declared type (HTML declared as a JPEG): refused. */
  typeLie: TypeLie | null;
}

/** A declared content type the stored bytes contradict. */
export interface TypeLie {
  declared: string;
  /** What the bytes are: a catalogue type, HTML/SVG/XML, or null when nothing recognisable. */
  detected: string | null;
}

/**
 * Finish the object and check it: SHA-256 (the backend's recorded hash, else streamed) and size must
 * equal the device's, and the first bytes must be the declared content type; otherwise the bytes
 * move under `quarantine/`. Also recovers a completer that crashed after quarantining but before
 * recording its verdict.
 */
export async function inspect(
  deps: { db: Database; store: ObjectStore },
  target: VerifyTarget,
): Promise<Inspection> {
  const { store } = deps;
  const stored = await assemble(store, target);
  if (!stored) {
    const recovered = await ownQuarantine(deps, target);
    if (recovered) return recovered;
    throw fail.CONFLICT(
      'Nothing has been uploaded for this session yet; PUT the bytes, then complete',
      {
        details: { field: 'sessionId', reason: NOT_UPLOADED_REASON },
      },
    );
  }
  const actual = stored.sha256 ?? (await hashObject(store, target.file.key));
  const matches = actual === target.file.sha256 && stored.size === target.file.size;
  // Bytes that are not the capture are a hash mismatch; sniffing them would say nothing about the device.
  const typeLie = matches
    ? await sniffLie(store, { key: target.file.key, file: target.file })
    : null;
  const verified = matches && !typeLie;
  return { stored, actual, typeLie, movedTo: verified ? null : await quarantine(store, target) };
}

/**
 * The type lie of the object at `key`, if any: its first {@link SNIFF_BYTES} (a ranged read on both
 * backends) sniffed and compared with the file's declared type by the shared rule the device applies
 * at capture. Bytes the sniffer does not recognise are refused too (fail closed): every type the
 * catalogue accepts has a signature the sniffer knows (`sniff.test.ts` holds one per type), so
 * unrecognised bytes are by definition not what was declared — and HTML, SVG and XML sniff as
 * unrecognised on purpose, so they can never be served as an image or a PDF.
 */
async function sniffLie(
  store: ObjectStore,
  at: { key: string; file: FileRow },
): Promise<TypeLie | null> {
  const head = await readPrefix(store, at.key, SNIFF_BYTES);
  const sniffed = sniffContentType(head);
  const declared = normalizeContentType(at.file.content_type);
  if (declared && bytesMatchType(declared, sniffed)) return null;
  return { declared: at.file.content_type, detected: sniffed ?? sniffMarkup(head) };
}

/** Up to `n` leading bytes of a stored object, read with a byte range (never the whole object). */
async function readPrefix(store: ObjectStore, key: string, n: number): Promise<Uint8Array> {
  const out = new Uint8Array(n);
  let filled = 0;
  const reader = (await store.getStream(key, { start: 0, end: n - 1 })).getReader();
  try {
    while (filled < n) {
      const { done, value } = await reader.read();
      if (done) break;
      const take = value.subarray(0, n - filled);
      out.set(take, filled);
      filled += take.length;
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  return out.subarray(0, filled);
}

/**
 * The stored object, or null when there is none. A single PUT must have landed; a multipart upload
 * is completed here (never by the client) with the device's parts or, when it sent none, every part
 * storage holds. An object already at the key is refused — unless our storage upload is gone, or the
 * object is this upload's (by its multipart ETag), when a crashed claimer completed it and we verify
 * what it left.
 */
async function assemble(store: ObjectStore, target: VerifyTarget): Promise<ObjectInfo | null> {
  const { upload, file } = target;
  const existing = await store.head(file.key);
  if (upload.kind === 'single' || !upload.storage_upload_id) return existing;
  const uploadId = upload.storage_upload_id;
  const held = await store.listParts(file.key, uploadId).catch((err: unknown) => {
    if (isStorageError(err, 'not_found')) return null;
    throw err;
  });
  if (held === null) return existing;
  // Storage still lists the upload, yet an object with exactly its parts' ETag is at the key: a completer
  // that stopped between publishing the object and removing the upload (the fs backend, killed). The
  // store finishes that; the bytes are verified below like any other.
  const finished = existing?.etag === multipartEtag(held.map((p) => p.etag));
  if (existing && !finished) {
    throw fail.CONFLICT('An object already exists at this key; it is never overwritten', {
      details: { field: 'sessionId' },
    });
  }
  const parts = target.parts ?? held.map(({ partNumber, etag }) => ({ partNumber, etag }));
  if (parts.length !== upload.parts_count || parts.some((p, i) => p.partNumber !== i + 1)) {
    const have = parts.map((p) => p.partNumber).join(', ') || 'none';
    throw fail.BAD_INPUT(`parts: this upload has parts 1..${upload.parts_count}; got ${have}`, {
      details: { field: 'parts' },
    });
  }
  return store.completeMultipart(file.key, uploadId, parts);
}

/** SHA-256 of a stored object, streamed in bounded memory (for backends that do not record it). */
export async function hashObject(store: ObjectStore, key: string): Promise<string> {
  const hash = createHash('sha256');
  const reader = (await store.getStream(key)).getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return hash.digest('hex');
    hash.update(value);
  }
}

/** Quarantine keys this session may use: the shared rule's, then one naming the session (when taken). */
function quarantineCandidates(target: VerifyTarget): [string, string] {
  const base = quarantineKey(target.file.key);
  return [base, `${base}.${target.upload.id}`];
}

/** Move mismatched bytes under `quarantine/` (copy, then delete); never overwrites earlier evidence. */
async function quarantine(store: ObjectStore, target: VerifyTarget): Promise<string> {
  const [first, second] = quarantineCandidates(target);
  let moved = first;
  try {
    await store.copy(target.file.key, first);
  } catch (err) {
    if (!isStorageError(err, 'object_exists')) throw err;
    moved = second;
    if (!(await store.head(second))) await store.copy(target.file.key, second);
  }
  await store.delete(target.file.key);
  return moved;
}

/**
 * Bytes this session already quarantined before its completer crashed: a quarantine candidate that
 * exists and that no file row claims (earlier mismatches of the capture hold theirs in `files.key`).
 */
async function ownQuarantine(
  deps: { db: Database; store: ObjectStore },
  target: VerifyTarget,
): Promise<Inspection | null> {
  for (const key of quarantineCandidates(target)) {
    const stored = await deps.store.head(key);
    if (!stored) continue;
    if (await fileHoldsKey(deps.db, key)) continue;
    const actual = stored.sha256 ?? (await hashObject(deps.store, key));
    const { file } = target;
    // Bytes that hash true were quarantined for their type: sniff them again to say which.
    const typeLie =
      actual === file.sha256 && stored.size === file.size
        ? await sniffLie(deps.store, { key, file })
        : null;
    return { stored, actual, typeLie, movedTo: key };
  }
  return null;
}
