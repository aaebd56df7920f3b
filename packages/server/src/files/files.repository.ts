// SQL of the files API: scoped lookups, keyset pages, soft delete, restore and purge; plain functions over a db or a transaction.
import type { FilesListFilters, FilesSort } from '@fieldvault/shared/schemas';
import { sql, type ExpressionBuilder, type Expression, type SqlBool } from 'kysely';
import type { Executor } from '../db/database.js';
import type { DB, FileRow } from '../db/schema.js';
import type { FilesCursor } from './files.cursor.js';
import { hasDuplicate } from './duplicates.repository.js';
import { textMatches } from './files.text-search.js';

/** Which files a caller may see: always one org; field staff only what they uploaded. */
export interface FileScope {
  orgId: string;
  /** Set for roles that see their own uploads only. */
  ownerId: string | null;
}

/** A listed row with its exact position (the sort column in microseconds) for the next cursor. */
export type ListedFileRow = FileRow & { key_us: number };

type FilesEb = ExpressionBuilder<DB, 'files'>;

function inScope(eb: FilesEb, scope: FileScope): Expression<SqlBool> {
  const org = eb('org_id', '=', scope.orgId);
  return scope.ownerId ? eb.and([org, eb('uploaded_by', '=', scope.ownerId)]) : org;
}

/** A microsecond timestamp as ISO 8601 with six fractional digits (PostgreSQL parses it exactly). */
export function microsToIso(us: number): string {
  const ms = Math.floor(us / 1000);
  const rest = String(us - ms * 1000).padStart(3, '0');
  return new Date(ms).toISOString().replace('Z', `${rest}Z`);
}

function filterConditions(
  eb: FilesEb,
  f: FilesListFilters,
  ownerId: string | null,
): Expression<SqlBool>[] {
  const c: Expression<SqlBool>[] = [];
  if (f.system) c.push(eb('system', '=', f.system));
  if (f.objectType) c.push(eb('object_type', '=', f.objectType));
  if (f.objectId) c.push(eb('object_id', '=', f.objectId));
  c.push(f.status ? eb('status', '=', f.status) : eb('status', '<>', 'deleted'));
  if (f.uploadedBy) c.push(eb('uploaded_by', '=', f.uploadedBy));
  const dateColumn = f.dateField === 'captured' ? 'captured_at' : 'received_at';
  if (f.from) c.push(eb(dateColumn, '>=', new Date(f.from)));
  if (f.to) c.push(eb(dateColumn, '<=', new Date(f.to)));
  if (f.duplicatesOnly) c.push(hasDuplicate(ownerId));
  if (f.text) c.push(textMatches(eb, f.text));
  return c;
}

export interface FilesPageQuery {
  scope: FileScope;
  filters: FilesListFilters;
  sort: FilesSort;
  after: FilesCursor | null;
  limit: number;
}

/**
 * One page in (sort column desc, id desc) order — received_at or captured_at — strictly after
 * `after`. Keyset paging never repeats a row nor skips one that existed at the start: rows received
 * meanwhile are newer than any received cursor; a row arriving with an old capture time lands after
 * the cursor and shows on a later page, or before it and waits for the next refresh.
 */
export function listFilesPage(db: Executor, q: FilesPageQuery): Promise<ListedFileRow[]> {
  // Two literal branches (not an interpolated identifier): each matches its index exactly.
  const col = q.sort === 'captured' ? sql.ref('captured_at') : sql.ref('received_at');
  return db
    .selectFrom('files')
    .selectAll()
    .select(sql<number>`(extract(epoch from ${col}) * 1000000)::int8`.as('key_us'))
    .where((eb) => {
      const c = [inScope(eb, q.scope), ...filterConditions(eb, q.filters, q.scope.ownerId)];
      if (q.after) {
        c.push(
          sql<SqlBool>`(${col}, id) < (${microsToIso(q.after.keyUs)}::timestamptz, ${q.after.id}::uuid)`,
        );
      }
      return eb.and(c);
    })
    .orderBy(q.sort === 'captured' ? 'captured_at' : 'received_at', 'desc')
    .orderBy('id', 'desc')
    .limit(q.limit)
    .execute();
}

/** A file the scope may see, or undefined (also for other orgs' and other users' ids). */
export function findFileInScope(
  db: Executor,
  q: { scope: FileScope; id: string; lock?: 'update' | 'share' },
): Promise<FileRow | undefined> {
  let query = db
    .selectFrom('files')
    .selectAll()
    .where((eb) => eb.and([inScope(eb, q.scope), eb('id', '=', q.id)]));
  if (q.lock === 'update') query = query.forUpdate();
  if (q.lock === 'share') query = query.forShare();
  return query.executeTakeFirst();
}

/** A status a file can be soft-deleted from (and restored to). */
export type DeletableStatus = 'verified' | 'mismatch' | 'missing';

/** Mark a file deleted (soft), remembering the status it had for restore; bumps its version. */
export function markFileDeleted(
  db: Executor,
  q: { id: string; from: DeletableStatus; at: Date; by: string },
): Promise<FileRow> {
  return db
    .updateTable('files')
    .set((eb) => ({
      status: 'deleted',
      deleted_from: q.from,
      deleted_at: q.at,
      deleted_by: q.by,
      version: eb('version', '+', 1),
    }))
    .where('id', '=', q.id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/**
 * Undo a soft delete: back to the status the file was deleted from. A row deleted before that was
 * recorded (no file.deleted event to say it either) counts as `mismatch` unless it was verified.
 */
export function markFileRestored(db: Executor, id: string): Promise<FileRow> {
  return db
    .updateTable('files')
    .set((eb) => ({
      status: sql`coalesce(deleted_from, case when verified_at is not null then 'verified' else 'mismatch' end)`,
      deleted_from: null,
      deleted_at: null,
      deleted_by: null,
      version: eb('version', '+', 1),
    }))
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Record a re-verification: `verified` with a fresh verified_at, or `mismatch`; bumps the version. */
export function markFileVerdict(
  db: Executor,
  q: { id: string; ok: boolean; at: Date },
): Promise<FileRow> {
  return db
    .updateTable('files')
    .set((eb) => ({
      status: q.ok ? 'verified' : 'mismatch',
      ...(q.ok ? { verified_at: q.at } : {}),
      version: eb('version', '+', 1),
    }))
    .where('id', '=', q.id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/**
 * How many files match a scope and filters, counting at most `cap + 1` rows (an index range scan
 * that stops early), so the answer costs the same on a million matches as on ten thousand.
 */
export async function countFilesUpTo(
  db: Executor,
  q: { scope: FileScope; filters: FilesListFilters; cap: number },
): Promise<number> {
  const matches = db
    .selectFrom('files')
    .select(sql<number>`1`.as('one'))
    .where((eb) =>
      eb.and([inScope(eb, q.scope), ...filterConditions(eb, q.filters, q.scope.ownerId)]),
    )
    .limit(q.cap + 1)
    .as('matches');
  const row = await db
    .selectFrom(matches)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** How many files (and bytes) match a scope and filters: what an export is about to send. */
export async function countFiles(
  db: Executor,
  q: { scope: FileScope; filters: FilesListFilters },
): Promise<{ count: number; bytes: number }> {
  const row = await db
    .selectFrom('files')
    .select((eb) => [
      eb.fn.countAll<number>().as('count'),
      eb.fn.coalesce(eb.fn.sum<number>('size'), eb.lit(0)).as('bytes'),
    ])
    .where((eb) =>
      eb.and([inScope(eb, q.scope), ...filterConditions(eb, q.filters, q.scope.ownerId)]),
    )
    .executeTakeFirstOrThrow();
  return { count: Number(row.count), bytes: Number(row.bytes) };
}
