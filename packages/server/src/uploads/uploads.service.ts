// What every upload handler shares: its dependencies, the session access rule, and the audit writer for upload events.
import { fail, isFieldVaultError } from '@fieldvault/shared/errors';
import type { AuditAction } from '@fieldvault/shared/schemas';
import { appendAuditEvents, type AuditEventInput } from '../audit/audit.writer.js';
import type { Database, Executor, Tx } from '../db/database.js';
import type { FileRow, JsonValue, UploadSessionRow } from '../db/schema.js';
import type { Metrics } from '../metrics.js';
import { isStorageError } from '../storage/errors.js';
import type { ObjectStore } from '../storage/object-store.js';
import type { Clock, RequestMeta, SessionInfo } from '../trpc/context.js';
import { findFile, findSession } from './uploads.repository.js';

/** Collaborators of the upload handlers (built from the tRPC context by the router). */
export interface UploadDeps {
  db: Database;
  store: ObjectStore;
  clock: Clock;
  metrics: Metrics;
  meta: RequestMeta;
  /** The caller; their org scopes every query. */
  session: SessionInfo;
}

/** Who an audit row names: the signed-in caller, or the system (jobs). */
export type UploadActor = Pick<UploadDeps, 'meta' | 'session'> | { system: string; orgId: string };

/** Presigned URLs live this long (clamped to what the backend allows); `signParts` renews them. */
export const URL_TTL_SECONDS = 3600;
/**
 * A `completing` claim not renewed for this long belongs to a crashed or stuck completer and may be
 * taken over. The holder renews it every {@link CLAIM_RENEW_MS} (uploads.claim-lease.ts), so a server
 * killed inside `complete` blocks the device for seconds, however long hashing a large object takes.
 */
export const CLAIM_TIMEOUT_MS = 20_000;
/** How often a completer renews its claim: several renewals fit in one timeout, so one slow write is not fatal. */
export const CLAIM_RENEW_MS = 5_000;
/** An upload session expires this long after it was opened; the device begins again afterwards. */
export const SESSION_TTL_MS = 24 * 3600_000;

/**
 * Load a session and its file for the caller. Field users act on their own uploads only; office and
 * admin on any of their org. Anything else — another org's id included — is NOT_FOUND, so ids
 * cannot be probed.
 */
export async function sessionForCaller(
  db: Executor,
  deps: Pick<UploadDeps, 'session'>,
  target: { sessionId: string; lock?: boolean },
): Promise<{ upload: UploadSessionRow; file: FileRow }> {
  const orgId = deps.session.orgId;
  const upload = await findSession(db, { orgId, id: target.sessionId, lock: target.lock ?? false });
  const file = upload && (await findFile(db, { orgId, id: upload.file_id }));
  if (!upload || !file || !mayActOn(deps.session, file)) {
    throw fail.NOT_FOUND('No such upload session', { details: { field: 'sessionId' } });
  }
  return { upload, file };
}

/** Field users act on their own uploads; office and admin on their whole org's. */
export function mayActOn(session: SessionInfo, file: FileRow): boolean {
  return (
    session.role === 'office' || session.role === 'admin' || file.uploaded_by === session.userId
  );
}

/** Who an audit row names, and from where: the caller's session and request, or nobody (a job). */
function auditIdentity(actor: UploadActor) {
  if ('system' in actor) {
    const nobody = { userId: null, role: null };
    return { orgId: actor.orgId, actor: nobody, ip: null, userAgent: null, deviceLabel: null };
  }
  return {
    orgId: actor.session.orgId,
    actor: { userId: actor.session.userId, role: actor.session.role },
    ip: actor.meta.ip,
    userAgent: actor.meta.userAgent,
    deviceLabel: actor.session.deviceLabel,
  };
}

/** What an upload audit event says; who and from where come from the actor. */
export interface UploadAuditEvent {
  action: AuditAction;
  at: Date;
  file: FileRow;
  sessionId: string;
  success?: boolean;
  errorCode?: string;
  details?: { [key: string]: JsonValue };
}

/** One upload audit event; must run in the transaction making the change it records. */
export async function auditUpload(
  trx: Tx,
  actor: UploadActor,
  event: UploadAuditEvent,
): Promise<void> {
  await auditUploads(trx, actor, [event]);
}

/**
 * Several upload audit events of one change, in order, as consecutive links of the org's chain (one
 * chain-head lock, one write); must run in the transaction making the change they record.
 */
export async function auditUploads(
  trx: Tx,
  actor: UploadActor,
  events: readonly UploadAuditEvent[],
): Promise<void> {
  await appendAuditEvents(trx, uploadAuditInputs(actor, events));
}

/** The audit rows of upload events: who and from where from the actor, the target from the file. */
export function uploadAuditInputs(
  actor: UploadActor,
  events: readonly UploadAuditEvent[],
): AuditEventInput[] {
  const who = auditIdentity(actor);
  return events.map((event) => ({
    ...who,
    at: event.at,
    action: event.action,
    target: { fileId: event.file.id, key: event.file.key, captureId: event.file.capture_id },
    success: event.success ?? true,
    errorCode: event.errorCode ?? null,
    details: {
      sessionId: event.sessionId,
      ...('system' in actor ? { by: actor.system } : {}),
      ...event.details,
    },
  }));
}

/** Map storage failures the device can act on to shared codes; others stay unexpected. */
export function storageToFieldVault(err: unknown): unknown {
  if (isFieldVaultError(err)) return err;
  if (isStorageError(err, 'invalid_part')) {
    return fail.BAD_INPUT(`parts: ${err.message}`, { details: { field: 'parts' }, cause: err });
  }
  if (isStorageError(err, 'object_exists')) {
    return fail.CONFLICT('An object already exists at this key; it is never overwritten', {
      cause: err,
    });
  }
  if (isStorageError(err, 'unavailable'))
    return fail.STORAGE_UNAVAILABLE(undefined, { cause: err });
  return err;
}

/** Await a handler, turning storage failures into shared codes (`STORAGE_UNAVAILABLE` is retryable). */
export function mapStorageErrors<T>(work: Promise<T>): Promise<T> {
  return work.catch((err: unknown) => {
    throw storageToFieldVault(err);
  });
}
