// SQL of the upload protocol: file rows, upload sessions, claims and expiry; plain functions over a db or a transaction.
import type { Executor } from '../db/database.js';
import type { FileRow, JsonValue, UploadSessionRow } from '../db/schema.js';
import { sql, type Insertable, type Updateable } from 'kysely';
import type { FilesTable, UploadSessionsTable } from '../db/schema.js';

/** Constraint names a concurrent begin can hit; matched to answer the idempotent result. */
export const LIVE_CAPTURE_CONSTRAINT = 'files_org_capture_live_key';
/** The key holds org and capture id, so a clash on it is the same capture too (whichever index is checked first). */
export const FILE_KEY_CONSTRAINT = 'files_key_key';
export const LIVE_SESSION_CONSTRAINT = 'upload_sessions_file_live_key';

/** True when `err` is PostgreSQL's unique violation on `constraint` (pg and PGlite both report it). */
export function isUniqueViolation(err: unknown, constraint: string): boolean {
  const e = err as { code?: string; constraint?: string; message?: string } | null;
  return (
    e?.code === '23505' && (e.constraint === constraint || (e.message ?? '').includes(constraint))
  );
}

/**
 * The org's file for a capture that `begin` must answer from: its live row (not mismatched, not
 * purged: at most one, by the live-capture index), else a purged tombstone, which `begin` refuses.
 */
export function findLiveFileByCapture(
  db: Executor,
  where: { orgId: string; captureId: string },
): Promise<FileRow | undefined> {
  return db
    .selectFrom('files')
    .selectAll()
    .where('org_id', '=', where.orgId)
    .where('capture_id', '=', where.captureId)
    .where('status', '<>', 'mismatch')
    .orderBy(sql`status = 'purged'`)
    .orderBy('received_at', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/** True when some file row (any org, any status) holds `key`. */
export async function fileHoldsKey(db: Executor, key: string): Promise<boolean> {
  return (
    (await db.selectFrom('files').select('id').where('key', '=', key).executeTakeFirst()) !==
    undefined
  );
}

/** A file of the org by id. */
export function findFile(
  db: Executor,
  where: { orgId: string; id: string },
): Promise<FileRow | undefined> {
  return db
    .selectFrom('files')
    .selectAll()
    .where('org_id', '=', where.orgId)
    .where('id', '=', where.id)
    .executeTakeFirst();
}

/** The newest session of a file. */
export function findLatestSession(
  db: Executor,
  fileId: string,
): Promise<UploadSessionRow | undefined> {
  return db
    .selectFrom('upload_sessions')
    .selectAll()
    .where('file_id', '=', fileId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/** Lock a file row (inside a transaction): opening a session for it and deleting its unverified bytes take turns. */
export async function lockFile(db: Executor, id: string): Promise<FileRow | undefined> {
  return db.selectFrom('files').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

/** True when the file has a session other than `sessionId` that is open, completing or completed. */
export async function hasOtherLiveSession(
  db: Executor,
  where: { fileId: string; sessionId: string },
): Promise<boolean> {
  const row = await db
    .selectFrom('upload_sessions')
    .select('id')
    .where('file_id', '=', where.fileId)
    .where('id', '<>', where.sessionId)
    .where('state', 'in', ['open', 'completing', 'completed'])
    .executeTakeFirst();
  return row !== undefined;
}

/** A session of the org by id; `lock` takes the row lock (inside a transaction). */
export function findSession(
  db: Executor,
  where: { orgId: string; id: string; lock?: boolean },
): Promise<UploadSessionRow | undefined> {
  let query = db
    .selectFrom('upload_sessions')
    .selectAll()
    .where('org_id', '=', where.orgId)
    .where('id', '=', where.id);
  if (where.lock) query = query.forUpdate();
  return query.executeTakeFirst();
}

/** The query for another verified file of the org with the same bytes (its id; the oldest). */
function verifiedDuplicate(
  db: Executor,
  where: { orgId: string; sha256: string; captureId: string },
) {
  return db
    .selectFrom('files')
    .select('id')
    .where('org_id', '=', where.orgId)
    .where('sha256', '=', where.sha256)
    .where('status', '=', 'verified')
    .where('capture_id', '<>', where.captureId)
    .orderBy('received_at')
    .limit(1);
}

/** Another verified file of the org with the same bytes, if any. */
export async function findVerifiedDuplicate(
  db: Executor,
  where: { orgId: string; sha256: string; captureId: string },
): Promise<string | null> {
  const row = await verifiedDuplicate(db, where).executeTakeFirst();
  return row?.id ?? null;
}

/**
 * Insert a new capture's file row with `duplicate_of` set to {@link findVerifiedDuplicate}'s answer,
 * found by the same statement (one round trip, not two).
 */
export function insertFileLinkingDuplicate(
  db: Executor,
  values: Insertable<FilesTable> & { sha256: string; capture_id: string },
): Promise<FileRow> {
  const where = { orgId: values.org_id, sha256: values.sha256, captureId: values.capture_id };
  return db
    .insertInto('files')
    .values({ ...values, duplicate_of: verifiedDuplicate(db, where) })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/**
 * New captures' file rows in one statement, each linked to its verified duplicate like
 * {@link insertFileLinkingDuplicate}. A row that would clash with an existing capture or key is
 * skipped, not an error (`ON CONFLICT DO NOTHING`): the rows returned are the ones inserted.
 */
export function insertNewFiles(
  db: Executor,
  rows: readonly (Insertable<FilesTable> & { sha256: string; capture_id: string })[],
): Promise<FileRow[]> {
  return db
    .insertInto('files')
    .values(
      rows.map((values) => ({
        ...values,
        duplicate_of: verifiedDuplicate(db, {
          orgId: values.org_id,
          sha256: values.sha256,
          captureId: values.capture_id,
        }),
      })),
    )
    .onConflict((oc) => oc.doNothing())
    .returningAll()
    .execute();
}

/** A session row as it is sent: pg sends a JS array as a PostgreSQL array, jsonb needs JSON text (both drivers). */
function sessionValues(values: Insertable<UploadSessionsTable>) {
  const partMd5s =
    values.part_md5s == null ? null : sql<JsonValue>`${JSON.stringify(values.part_md5s)}::jsonb`;
  return { ...values, part_md5s: partMd5s };
}

/** Insert a session row. */
export function insertSession(
  db: Executor,
  values: Insertable<UploadSessionsTable>,
): Promise<UploadSessionRow> {
  return db
    .insertInto('upload_sessions')
    .values(sessionValues(values))
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Insert several session rows in one statement. */
export function insertSessions(
  db: Executor,
  rows: readonly Insertable<UploadSessionsTable>[],
): Promise<UploadSessionRow[]> {
  return db.insertInto('upload_sessions').values(rows.map(sessionValues)).returningAll().execute();
}

/**
 * Claim an open, unexpired session in one statement (`open` → `completing`), scoped to the org and,
 * for a field user, to their own file (`uploadedBy`); the claimed row, or undefined when it is not
 * claimable that way (the caller then takes the slow path and learns why). Concurrent claimers queue
 * on the row lock and re-check `state` once it commits, so exactly one of them gets the row.
 */
export function claimOpenSession(
  db: Executor,
  q: { orgId: string; id: string; uploadedBy: string | null; now: Date },
): Promise<UploadSessionRow | undefined> {
  let query = db
    .updateTable('upload_sessions')
    .from('files')
    .set({ state: 'completing', claimed_at: q.now, updated_at: q.now })
    .where('upload_sessions.id', '=', q.id)
    .where('upload_sessions.org_id', '=', q.orgId)
    .where('upload_sessions.state', '=', 'open')
    .where('upload_sessions.expires_at', '>', q.now)
    .whereRef('files.id', '=', 'upload_sessions.file_id')
    .where('files.org_id', '=', q.orgId);
  if (q.uploadedBy !== null) query = query.where('files.uploaded_by', '=', q.uploadedBy);
  return query.returningAll('upload_sessions').executeTakeFirst();
}

/**
 * Update a session; when `fromStates` (and `claimedAt`) are given the update only happens while the
 * row is still in one of those states (and still holds that claim). Returns the row, or undefined.
 */
export function updateSession(
  db: Executor,
  target: { id: string; fromStates?: UploadSessionRow['state'][]; claimedAt?: Date },
  patch: Updateable<UploadSessionsTable>,
): Promise<UploadSessionRow | undefined> {
  let query = db.updateTable('upload_sessions').set(patch).where('id', '=', target.id);
  if (target.fromStates) query = query.where('state', 'in', target.fromStates);
  if (target.claimedAt) query = query.where('claimed_at', '=', target.claimedAt);
  return query.returningAll().executeTakeFirst();
}

/** Update a file row (bumps `version`). */
export function updateFile(
  db: Executor,
  id: string,
  patch: Updateable<FilesTable>,
): Promise<FileRow> {
  return db
    .updateTable('files')
    .set((eb) => ({ ...patch, version: eb('version', '+', 1) }))
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/**
 * Up to `limit` sessions (all orgs) past their deadline that nobody is finishing: open ones, and
 * `completing` ones whose claim is older than `staleClaimBefore` (the completer crashed). Oldest first.
 */
export function listExpiredSessions(
  db: Executor,
  where: { now: Date; staleClaimBefore: Date; limit: number },
): Promise<UploadSessionRow[]> {
  return db
    .selectFrom('upload_sessions')
    .selectAll()
    .where('expires_at', '<', where.now)
    .where((eb) =>
      eb.or([
        eb('state', '=', 'open'),
        eb.and([eb('state', '=', 'completing'), eb('claimed_at', '<', where.staleClaimBefore)]),
      ]),
    )
    .orderBy('expires_at')
    .limit(where.limit)
    .execute();
}

/**
 * The declared and detected types recorded when a file's bytes were refused for their type (the
 * FILE_QUARANTINED / TYPE_MISMATCH audit row), so a repeated `complete` names them again; or null.
 */
export async function findTypeRefusal(
  db: Executor,
  file: { orgId: string; id: string },
): Promise<{ declared: string; detected: string | null } | null> {
  const row = await db
    .selectFrom('audit_events')
    .select('details')
    .where('org_id', '=', file.orgId)
    .where('target_file_id', '=', file.id)
    .where('action', '=', 'FILE_QUARANTINED')
    .where('error_code', '=', 'TYPE_MISMATCH')
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst();
  const details = (row?.details ?? null) as {
    declaredType?: unknown;
    detectedType?: unknown;
  } | null;
  if (typeof details?.declaredType !== 'string') return null;
  const detected = typeof details.detectedType === 'string' ? details.detectedType : null;
  return { declared: details.declaredType, detected };
}
