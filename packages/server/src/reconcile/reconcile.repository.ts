// SQL of reconcile: files in S3 key order (keyset pages on the "C"-collated key), stale pending files, live sessions, marking a file missing.
import { sql } from 'kysely';
import type { Executor } from '../db/database.js';
import type { FileRow, UploadSessionRow } from '../db/schema.js';

/** What reconcile compares of a record. */
export type RecordSlice = Pick<
  FileRow,
  'id' | 'org_id' | 'key' | 'size' | 'content_type' | 'status' | 'capture_id'
>;

/** The first key after every key starting with `prefix` (in byte order), or null for the empty prefix. */
export function prefixUpperBound(prefix: string): string | null {
  if (prefix === '') return null;
  const last = prefix.charCodeAt(prefix.length - 1);
  return prefix.slice(0, -1) + String.fromCharCode(last + 1);
}

/** Up to `limit` records with a key starting with `prefix`, after `afterKey`, in byte order. */
export function recordsPage(
  db: Executor,
  q: { prefix: string; afterKey: string | null; limit: number },
): Promise<RecordSlice[]> {
  const upper = prefixUpperBound(q.prefix);
  let query = db
    .selectFrom('files')
    .select(['id', 'org_id', 'key', 'size', 'content_type', 'status', 'capture_id'])
    .where(sql<boolean>`key collate "C" >= ${q.prefix}`);
  if (upper !== null) query = query.where(sql<boolean>`key collate "C" < ${upper}`);
  if (q.afterKey !== null) query = query.where(sql<boolean>`key collate "C" > ${q.afterKey}`);
  return query
    .orderBy(sql`key collate "C"`)
    .limit(q.limit)
    .execute();
}

/**
 * Pending files received before `before` that still have a session nobody will finish: open or
 * completing, past its deadline (what `--repair` expires). Once expired they are no longer listed.
 */
export function stalePendingFiles(
  db: Executor,
  q: { orgId: string | null; before: Date; now: Date; limit: number },
): Promise<RecordSlice[]> {
  let query = db
    .selectFrom('files')
    .select(['id', 'org_id', 'key', 'size', 'content_type', 'status', 'capture_id'])
    .where('status', '=', 'pending')
    .where('received_at', '<', q.before)
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('upload_sessions as s')
          .select('s.id')
          .whereRef('s.file_id', '=', 'files.id')
          .where('s.state', 'in', ['open', 'completing'])
          .where('s.expires_at', '<=', q.now),
      ),
    );
  if (q.orgId) query = query.where('org_id', '=', q.orgId);
  return query.orderBy('received_at').limit(q.limit).execute();
}

/** Sessions of a file still open or completing (past their deadline: what expiry ends). */
export function unfinishedSessions(db: Executor, fileId: string): Promise<UploadSessionRow[]> {
  return db
    .selectFrom('upload_sessions')
    .selectAll()
    .where('file_id', '=', fileId)
    .where('state', 'in', ['open', 'completing'])
    .execute();
}

/** True when a live session (open or completing, before its deadline) owns this storage upload. */
export async function uploadIsLive(
  db: Executor,
  q: { uploadId: string; now: Date },
): Promise<boolean> {
  const row = await db
    .selectFrom('upload_sessions')
    .select('id')
    .where('storage_upload_id', '=', q.uploadId)
    .where('state', 'in', ['open', 'completing'])
    .where('expires_at', '>', q.now)
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * Mark a verified or mismatched file `missing` (guarded: other statuses are left alone); the row, or
 * undefined. Reconcile's repair and `files.verify` both use it, so both call a lost object the same.
 */
export function markMissing(db: Executor, id: string): Promise<FileRow | undefined> {
  return db
    .updateTable('files')
    .set((eb) => ({ status: 'missing', version: eb('version', '+', 1) }))
    .where('id', '=', id)
    .where('status', 'in', ['verified', 'mismatch'])
    .returningAll()
    .executeTakeFirst();
}

/** True when the org exists (orphan keys name an org only by their first segment). */
export async function orgExists(db: Executor, orgId: string): Promise<boolean> {
  const row = await db.selectFrom('orgs').select('id').where('id', '=', orgId).executeTakeFirst();
  return row !== undefined;
}
