// `uploads.signParts`, `uploads.listParts` and `uploads.abort`: fresh part URLs, the resume point from storage, giving up.
import { fail } from '@fieldvault/shared/errors';
import type {
  SignPartsInput,
  SignPartsOutput,
  UploadAbortOutput,
  UploadListPartsOutput,
} from '@fieldvault/shared/schemas';
import type { UploadSessionRow } from '../db/schema.js';
import { isStorageError } from '../storage/errors.js';
import { endSession } from './uploads.expire.js';
import { partUrls } from './uploads.presign.js';
import * as repo from './uploads.repository.js';
import { SESSION_TTL_MS, sessionForCaller, type UploadDeps } from './uploads.service.js';

/**
 * A session still taking bytes lives on: each signParts/listParts moves its deadline to a full TTL
 * from now, so a long upload that keeps making progress is never expired under the device.
 */
async function keepAlive(deps: UploadDeps, upload: UploadSessionRow): Promise<void> {
  const now = deps.clock();
  await repo.updateSession(
    deps.db,
    { id: upload.id, fromStates: ['open'] },
    { expires_at: new Date(now.getTime() + SESSION_TTL_MS), updated_at: now },
  );
}

/** Refuse work on a session that can no longer take bytes. */
function assertOpen(upload: UploadSessionRow, now: Date): void {
  if (upload.state === 'open' && upload.expires_at <= now) {
    throw fail.EXPIRED('This upload session has expired; begin the upload again', {
      details: { field: 'sessionId' },
    });
  }
  if (upload.state !== 'open') {
    // `completing` is transient (another request is verifying): retryable, unlike a finished session.
    const code =
      upload.state === 'expired'
        ? 'EXPIRED'
        : upload.state === 'completing'
          ? 'IN_PROGRESS'
          : 'CONFLICT';
    throw fail[code](`This upload session is ${upload.state}`, {
      details: { field: 'sessionId', state: upload.state },
    });
  }
}

/** Fresh URLs for parts of an open multipart session. */
export async function signParts(deps: UploadDeps, input: SignPartsInput): Promise<SignPartsOutput> {
  const { upload, file } = await sessionForCaller(deps.db, deps, { sessionId: input.sessionId });
  assertOpen(upload, deps.clock());
  if (upload.kind !== 'multipart') {
    throw fail.BAD_INPUT(
      'sessionId: a single-PUT session has no parts; call begin again for a fresh URL',
      {
        details: { field: 'sessionId' },
      },
    );
  }
  const outside = input.partNumbers.find((n) => n > upload.parts_count);
  if (outside !== undefined) {
    throw fail.BAD_INPUT(
      `partNumbers: part ${outside} is beyond the ${upload.parts_count} parts of this upload`,
      {
        details: { field: 'partNumbers' },
      },
    );
  }
  await keepAlive(deps, upload);
  return {
    parts: await partUrls(deps.store, {
      key: file.key,
      upload,
      size: file.size,
      partNumbers: input.partNumbers,
    }),
  };
}

/**
 * What storage already holds for a session (every page): the device's resume point. Only for
 * sessions still taking bytes; a single PUT shows its object as part 1 once it has landed.
 */
export async function listParts(
  deps: UploadDeps,
  sessionId: string,
): Promise<UploadListPartsOutput> {
  const { upload, file } = await sessionForCaller(deps.db, deps, { sessionId });
  assertOpen(upload, deps.clock());
  await keepAlive(deps, upload);
  const base = { sessionId, kind: upload.kind, partCount: upload.parts_count };
  if (upload.kind === 'single') {
    const head = await deps.store.head(file.key);
    return { ...base, parts: head ? [{ partNumber: 1, etag: head.etag, size: head.size }] : [] };
  }
  try {
    return { ...base, parts: await deps.store.listParts(file.key, upload.storage_upload_id ?? '') };
  } catch (err) {
    if (isStorageError(err, 'not_found'))
      throw fail.EXPIRED('The storage upload is gone; begin the upload again', { cause: err });
    throw err;
  }
}

/** Give up an upload: session `aborted`, UPLOAD_ABORTED audited, storage cleaned. Idempotent. */
export async function abortUpload(deps: UploadDeps, sessionId: string): Promise<UploadAbortOutput> {
  const { upload } = await sessionForCaller(deps.db, deps, { sessionId });
  if (upload.state === 'aborted' || upload.state === 'expired')
    return { sessionId, state: upload.state };
  if (upload.state !== 'open') {
    throw fail.CONFLICT(`This upload session is ${upload.state} and can no longer be aborted`, {
      details: { field: 'sessionId', state: upload.state },
    });
  }
  const ended = await endSession(
    { db: deps.db, store: deps.store, now: deps.clock() },
    { upload, state: 'aborted', actor: deps },
  );
  if (ended) return { sessionId, state: 'aborted' };
  // Lost a race with another abort, the expiry job or a complete: report what won.
  const { upload: now } = await sessionForCaller(deps.db, deps, { sessionId });
  if (now.state === 'aborted' || now.state === 'expired') return { sessionId, state: now.state };
  throw fail.CONFLICT(`This upload session is ${now.state} and can no longer be aborted`, {
    details: { field: 'sessionId' },
  });
}
