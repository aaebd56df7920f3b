// SQL for duplicate detection: exact (same SHA-256 in the org) and possible (same amount and receipt or capture day, similar vendor).
import { sql, type RawBuilder, type SqlBool } from 'kysely';
import type { Executor } from '../db/database.js';
import type { FileRow } from '../db/schema.js';
import type { FileScope } from './files.repository.js';

/** Statuses whose rows can be someone's duplicate (bytes or at least a record that still stands). */
const CANDIDATE_STATUSES = ['verified', 'deleted', 'pending'];
/** Shortest normalised vendor that counts: "a" starting every vendor beginning with A is no signal. */
const MIN_VENDOR = 3;

/** The vendor lowercased and stripped to ASCII letters and digits ("Shell Station #12" → "shellstation12"). */
function vendorOf(alias: string): RawBuilder<string> {
  return sql<string>`regexp_replace(lower(coalesce(${sql.ref(`${alias}.meta`)}->>'vendor', '')), '[^a-z0-9]+', '', 'g')`;
}

/** The amount as a number when it is a well-formed decimal (the device sends strings such as "12.50"). */
function amountOf(alias: string): RawBuilder<string | null> {
  const text = sql`${sql.ref(`${alias}.meta`)}->>'amount'`;
  return sql<
    string | null
  >`case when ${text} ~ '^-?[0-9]+([.][0-9]+)?$' then (${text})::numeric end`;
}

/**
 * `b` may be the same receipt as `a`: same org, another row with different bytes, the same amount
 * (12.5 = 12.50), the same day (the receipt date when given, else the UTC capture day), compatible currencies, and vendors equal or one a prefix
 * of the other after normalising. The same definition serves files.get and files.list, on both
 * PostgreSQL and PGlite (no pg_trgm needed).
 */
export function possibleDuplicateOf(a: string, b: string): RawBuilder<SqlBool> {
  const [va, vb] = [vendorOf(a), vendorOf(b)];
  const col = (alias: string, c: string) => sql.ref(`${alias}.${c}`);
  // The receipt's printed date when the worker gave one, else the UTC capture day (same as the index).
  const day = (alias: string) =>
    sql`coalesce(${col(alias, 'receipt_date')}, (${col(alias, 'captured_at')} at time zone 'UTC')::date)`;
  const currency = (alias: string) => sql`${col(alias, 'meta')}->>'currency'`;
  return sql<SqlBool>`(
    ${col(b, 'org_id')} = ${col(a, 'org_id')}
    and ${col(a, 'meta')} ? 'amount' and ${col(b, 'meta')} ? 'amount'
    and ${col(b, 'id')} <> ${col(a, 'id')}
    and ${col(b, 'sha256')} <> ${col(a, 'sha256')}
    and ${col(a, 'status')} in (${sql.join(CANDIDATE_STATUSES)})
    and ${col(b, 'status')} in (${sql.join(CANDIDATE_STATUSES)})
    and ${amountOf(b)} = ${amountOf(a)}
    and ${day(b)} = ${day(a)}
    and (${currency(a)} is null or ${currency(b)} is null or ${currency(a)} = ${currency(b)})
    and length(${va}) >= ${MIN_VENDOR} and length(${vb}) >= ${MIN_VENDOR}
    and (${va} = ${vb} or starts_with(${va}, ${vb}) or starts_with(${vb}, ${va}))
  )`;
}

/** Up to `limit` rows the scope may see with the same bytes as `file` (other rows of its org). */
export function findExactDuplicates(
  db: Executor,
  q: { scope: FileScope; file: FileRow; limit: number },
): Promise<FileRow[]> {
  let query = db
    .selectFrom('files')
    .selectAll()
    .where('org_id', '=', q.scope.orgId)
    .where('sha256', '=', q.file.sha256)
    .where('id', '<>', q.file.id)
    .where('status', 'in', ['verified', 'deleted']);
  if (q.scope.ownerId) query = query.where('uploaded_by', '=', q.scope.ownerId);
  return query.orderBy('received_at').orderBy('id').limit(q.limit).execute();
}

/** Up to `limit` rows the scope may see that may be the same receipt as `file`. */
export function findPossibleDuplicates(
  db: Executor,
  q: { scope: FileScope; file: FileRow; limit: number },
): Promise<FileRow[]> {
  let query = db
    .selectFrom('files as dup')
    .innerJoin('files as me', (join) => join.on('me.id', '=', q.file.id))
    .selectAll('dup')
    .where('dup.org_id', '=', q.scope.orgId)
    .where(possibleDuplicateOf('me', 'dup'));
  if (q.scope.ownerId) query = query.where('dup.uploaded_by', '=', q.scope.ownerId);
  return query.orderBy('dup.received_at').orderBy('dup.id').limit(q.limit).execute();
}

/**
 * files.list `duplicatesOnly`: a repeat of bytes the org had, or a row with a possible duplicate
 * among the rows the caller may see (field staff: their own uploads).
 */
export function hasDuplicate(ownerId: string | null): RawBuilder<SqlBool> {
  const owner = ownerId ? sql`and dup.uploaded_by = ${ownerId}` : sql``;
  // The cheap test first: rows without an amount (most) never run the subquery.
  return sql<SqlBool>`(files.duplicate_of is not null or (files.meta ? 'amount' and exists (
    select 1 from files as dup where ${possibleDuplicateOf('files', 'dup')} ${owner}
  )))`;
}
