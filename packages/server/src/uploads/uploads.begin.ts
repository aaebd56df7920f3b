// `uploads.begin`: validate with the shared gate, then open (or return, idempotently on captureId) the capture's upload session.
import { checkError, checkUpload, type CheckReason } from '@fieldvault/shared/check';
import { FieldVaultError, fail } from '@fieldvault/shared/errors';
import { buildObjectKey } from '@fieldvault/shared/keys';
import type { PartPlan } from '@fieldvault/shared/parts';
import type { UploadBeginInput, UploadBeginOutput } from '@fieldvault/shared/schemas';
import type { Tx } from '../db/database.js';
import type { FileRow, UploadSessionRow } from '../db/schema.js';
import { toFileRecord } from '../files/file-record.js';
import { expireSession } from './uploads.expire.js';
import { openInBatch } from './uploads.begin-batch.js';
import {
  beganEvent,
  newFileValues,
  newSessionValues,
  type Accepted,
  type BeginRequest,
  type SessionLayout,
} from './uploads.begin-rows.js';
import { planSession, sessionAnswer } from './uploads.presign.js';
import * as repo from './uploads.repository.js';
import { auditUpload, type UploadDeps } from './uploads.service.js';

/** Which input field each refusal reason is about. */
const REASON_FIELD: Record<CheckReason['code'], string> = {
  UNKNOWN_SYSTEM: 'system',
  UNKNOWN_OBJECT_TYPE: 'objectType',
  BAD_SIZE: 'size',
  EMPTY_FILE: 'size',
  TOO_LARGE: 'size',
  NOT_ALLOWED_TYPE: 'contentType',
  TYPE_MISMATCH: 'contentType',
  EXTENSION_MISMATCH: 'filename',
};

/** The shared gate (no bytes yet at begin); a refusal names its field in the message and details. */
function accept(input: UploadBeginInput): Accepted {
  const checked = checkUpload({
    system: input.system,
    objectType: input.objectType,
    filename: input.filename,
    declaredType: input.contentType,
    size: input.size,
    firstBytes: null,
  });
  if (checked.ok) return checked;
  const base = checkError(checked.reasons);
  const first = checked.reasons[0];
  const field = first ? REASON_FIELD[first.code] : 'input';
  throw new FieldVaultError(base.code, `${field}: ${base.message}`, {
    details: { field, reasons: checked.reasons },
  });
}

/** Start (or resume) the upload of one capture; see the router for the contract. */
export async function beginUpload(
  deps: UploadDeps,
  input: UploadBeginInput,
): Promise<UploadBeginOutput> {
  const accepted = accept(input);
  const key = buildObjectKey({ ...input, orgId: deps.session.orgId });
  const batched = await beginNewSinglePut(deps, { input, accepted, key });
  if (batched) return batched;
  for (let attempt = 0; ; attempt++) {
    const existing = await repo.findLiveFileByCapture(deps.db, {
      orgId: deps.session.orgId,
      captureId: input.captureId,
    });
    if (existing) return resume(deps, { input, accepted, file: existing });
    try {
      return await openFile(deps, { input, accepted, key });
    } catch (err) {
      // A concurrent begin of the same capture won the insert: answer what it created.
      const sameCapture =
        repo.isUniqueViolation(err, repo.LIVE_CAPTURE_CONSTRAINT) ||
        repo.isUniqueViolation(err, repo.FILE_KEY_CONSTRAINT);
      if (attempt > 2 || !sameCapture) throw err;
    }
  }
}

/**
 * The common case, group-committed: a capture the server has not seen, uploaded by one PUT (no storage
 * call before its rows). Null when it was not opened that way — a known capture, a twin, a failed
 * batch, or a multipart plan — and {@link beginUpload} goes on one by one.
 */
async function beginNewSinglePut(
  deps: UploadDeps,
  request: BeginRequest,
): Promise<UploadBeginOutput | null> {
  const { plan, binding } = planSession(deps.store.capabilities(), {
    plan: request.accepted.plan,
    md5: request.input.md5,
    partMd5s: request.input.partMd5s,
  });
  if (plan.kind !== 'single') return null;
  const opened = await openInBatch(deps, { ...request, layout: { plan, binding, uploadId: null } });
  if (!opened) return null;
  deps.metrics.uploadsBegun.inc();
  return sessionAnswer(deps.store, opened);
}

/** True when `input` describes the same upload as the stored file. */
function samePayload(file: FileRow, input: UploadBeginInput, accepted: Accepted): boolean {
  return (
    file.sha256 === input.sha256 &&
    file.size === input.size &&
    file.original_filename === input.filename &&
    file.content_type === accepted.contentType &&
    file.system === input.system &&
    file.object_type === input.objectType &&
    file.object_id === input.objectId &&
    file.captured_at.getTime() === Date.parse(input.capturedAt)
  );
}

/** A capture the org already knows: done, the same live session, or a new session for its file. */
async function resume(
  deps: UploadDeps,
  args: { input: UploadBeginInput; accepted: Accepted; file: FileRow },
): Promise<UploadBeginOutput> {
  const { file } = args;
  const mine = deps.session.role !== 'field' || file.uploaded_by === deps.session.userId;
  if (!mine || !samePayload(file, args.input, args.accepted)) {
    throw fail.CONFLICT(
      'captureId: this capture was already begun with different content or details',
      {
        details: { field: 'captureId' },
      },
    );
  }
  const duplicateOf = file.duplicate_of ? { duplicateOf: file.duplicate_of } : {};
  if (file.status === 'verified')
    return { state: 'verified', file: toFileRecord(file), ...duplicateOf };
  if (file.status === 'deleted' || file.status === 'purged') {
    throw fail.CONFLICT(`captureId: this capture was ${file.status}`, {
      details: { field: 'captureId' },
    });
  }
  for (let attempt = 0; ; attempt++) {
    const latest = await repo.findLatestSession(deps.db, file.id);
    const now = deps.clock();
    if (latest?.state === 'completing' || (latest?.state === 'open' && latest.expires_at > now)) {
      return sessionAnswer(deps.store, { upload: latest, file });
    }
    if (latest?.state === 'open') await expireSession({ ...deps, now }, latest);
    try {
      return await openSession(deps, { input: args.input, accepted: args.accepted, file });
    } catch (err) {
      if (attempt > 2 || !repo.isUniqueViolation(err, repo.LIVE_SESSION_CONSTRAINT)) throw err;
    }
  }
}

/** Storage side of a new session: the multipart upload (none for a single PUT). */
async function startStorage(
  deps: UploadDeps,
  target: { key: string; plan: PartPlan; contentType: string },
): Promise<string | null> {
  if (target.plan.kind === 'single') return null;
  // The part size lets the fs backend write parts in place (no copy at completion); S3 ignores it.
  const { uploadId } = await deps.store.createMultipart(target.key, {
    contentType: target.contentType,
    partSize: target.plan.partSize,
  });
  return uploadId;
}

/** A brand-new capture: file row (linked to a verified duplicate), session row and UPLOAD_BEGUN in one transaction. */
async function openFile(deps: UploadDeps, args: BeginRequest): Promise<UploadBeginOutput> {
  const fileValues = newFileValues(deps, args);
  return createSession(deps, {
    ...args,
    insertFile: (trx) => repo.insertFileLinkingDuplicate(trx, fileValues),
  });
}

/**
 * A new session for a known (pending) file whose earlier session ended. The file's row lock, taken
 * once the session row is in, orders it with that session's cleanup, which deletes unverified bytes
 * at the key only while no newer session exists. (Session first, then file: the order a verdict
 * takes its locks in, so the two never wait on each other in a cycle.)
 */
function openSession(
  deps: UploadDeps,
  args: { input: UploadBeginInput; accepted: Accepted; file: FileRow },
): Promise<UploadBeginOutput> {
  return createSession(deps, {
    ...args,
    key: args.file.key,
    insertFile: () => Promise.resolve(args.file),
    lockFileAfterSession: true,
  });
}

type SessionArgs = BeginRequest & {
  insertFile: (trx: Tx) => Promise<FileRow>;
  lockFileAfterSession?: boolean;
};

/** The rows of a new session and its UPLOAD_BEGUN event, inside the caller's transaction. */
async function insertSessionRows(
  trx: Tx,
  deps: UploadDeps,
  args: SessionArgs & SessionLayout & { now: Date },
): Promise<{ upload: UploadSessionRow; file: FileRow }> {
  const file = await args.insertFile(trx);
  const upload = await repo.insertSession(trx, newSessionValues(file, args));
  if (args.lockFileAfterSession) await repo.lockFile(trx, file.id);
  await auditUpload(trx, deps, beganEvent(upload, file));
  return { upload, file };
}

/**
 * Open a session: the multipart upload in storage first (a network call, outside any transaction),
 * then the rows and the audit event in one transaction; if that fails the storage upload is aborted.
 */
async function createSession(deps: UploadDeps, args: SessionArgs): Promise<UploadBeginOutput> {
  const { input, accepted } = args;
  const { plan, binding } = planSession(deps.store.capabilities(), {
    plan: accepted.plan,
    md5: input.md5,
    partMd5s: input.partMd5s,
  });
  const uploadId = await startStorage(deps, {
    key: args.key,
    plan,
    contentType: accepted.contentType,
  });
  const now = deps.clock();
  let opened: { upload: UploadSessionRow; file: FileRow };
  try {
    opened = await deps.db
      .transaction()
      .execute((trx) => insertSessionRows(trx, deps, { ...args, plan, uploadId, binding, now }));
  } catch (err) {
    if (uploadId) await deps.store.abortMultipart(args.key, uploadId).catch(() => undefined);
    throw err;
  }
  deps.metrics.uploadsBegun.inc();
  return sessionAnswer(deps.store, opened);
}
