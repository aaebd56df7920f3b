// SQL of the compliance jobs: the re-hash sample, purge candidates and the state changes both make.
import { sql } from 'kysely';
import type { Executor } from '../db/database.js';
import type { FileRow } from '../db/schema.js';

/** How many verified files there are (in one org or all). */
export async function countVerified(db: Executor, orgId: string | null): Promise<number> {
  let query = db
    .selectFrom('files')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('status', '=', 'verified');
  if (orgId) query = query.where('org_id', '=', orgId);
  return Number((await query.executeTakeFirstOrThrow()).n);
}

/** The next verified files to re-hash: never checked first, then the least recently checked. */
export function rehashBatch(
  db: Executor,
  q: { orgId: string | null; checkedBefore: Date; limit: number },
): Promise<FileRow[]> {
  let query = db
    .selectFrom('files')
    .selectAll()
    .where('status', '=', 'verified')
    .where((eb) =>
      eb.or([eb('last_checked_at', 'is', null), eb('last_checked_at', '<', q.checkedBefore)]),
    );
  if (q.orgId) query = query.where('org_id', '=', q.orgId);
  return query
    .orderBy(sql`last_checked_at nulls first`)
    .orderBy('id')
    .limit(q.limit)
    .execute();
}

/** Note that a file's bytes were read back and matched. */
export async function markChecked(db: Executor, q: { id: string; at: Date }): Promise<void> {
  await db.updateTable('files').set({ last_checked_at: q.at }).where('id', '=', q.id).execute();
}

/** A verified file whose bytes no longer match becomes `mismatch` (guarded on `verified`). */
export function markMismatch(
  db: Executor,
  q: { id: string; at: Date },
): Promise<FileRow | undefined> {
  return db
    .updateTable('files')
    .set((eb) => ({ status: 'mismatch', last_checked_at: q.at, version: eb('version', '+', 1) }))
    .where('id', '=', q.id)
    .where('status', '=', 'verified')
    .returningAll()
    .executeTakeFirst();
}

/** Ids of files soft-deleted before `deletedBefore`, whatever their retention (the job decides). */
export function purgeCandidates(
  db: Executor,
  q: { orgId: string | null; deletedBefore: Date; afterId: string | null; limit: number },
): Promise<{ id: string }[]> {
  let query = db
    .selectFrom('files')
    .select('id')
    .where('status', '=', 'deleted')
    .where('deleted_at', '<', q.deletedBefore);
  if (q.orgId) query = query.where('org_id', '=', q.orgId);
  if (q.afterId) query = query.where('id', '>', q.afterId);
  return query.orderBy('id').limit(q.limit).execute();
}

/** Lock one file row for a state change. */
export function lockFile(db: Executor, id: string): Promise<FileRow | undefined> {
  return db.selectFrom('files').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

/**
 * Keep the record, note the bytes are gone: status `purged`. A purged row keeps a `deleted_at`
 * (CHECK files_deleted_consistent): a mismatch record purged directly was never soft-deleted, so it
 * gets the purge time.
 */
export function markPurged(db: Executor, q: { id: string; at: Date }): Promise<FileRow> {
  return db
    .updateTable('files')
    .set((eb) => ({
      status: 'purged',
      purged_at: q.at,
      deleted_at: eb.fn.coalesce('deleted_at', sql<Date>`${q.at}::timestamptz`),
      version: eb('version', '+', 1),
    }))
    .where('id', '=', q.id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Set or clear a file's legal hold. */
export function setLegalHold(db: Executor, q: { id: string; hold: boolean }): Promise<FileRow> {
  return db
    .updateTable('files')
    .set((eb) => ({ legal_hold: q.hold, version: eb('version', '+', 1) }))
    .where('id', '=', q.id)
    .returningAll()
    .executeTakeFirstOrThrow();
}
