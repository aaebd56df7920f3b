// The date printed on a receipt (meta.receiptDate from uploads.begin) as a column, and the possible-duplicate index on it.
import { sql, type Kysely } from 'kysely';

// Migrations take Kysely<any> and never import app code: they must keep working after the app changes.
/* eslint-disable @typescript-eslint/no-explicit-any */

// Generated from the capture metadata, so the column can never disagree with what the device sent, every
// writer (uploads.begin, import, tests) fills it without knowing it, and existing rows are filled here.
// make_date rather than a ::date cast: a generated column needs an immutable expression, and the cast
// depends on DateStyle. The shared schema only lets well-formed, real days into meta.receiptDate.
const RECEIPT_DATE = sql`case when meta->>'receiptDate' ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' then make_date(
    substr(meta->>'receiptDate', 1, 4)::int,
    substr(meta->>'receiptDate', 6, 2)::int,
    substr(meta->>'receiptDate', 9, 2)::int
  ) end`;

// The expressions must stay byte-for-byte those of files/duplicates.repository.ts, or the planner
// cannot use the index. The day is the receipt's date when given, else the UTC capture day.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table files add column receipt_date date generated always as (${RECEIPT_DATE}) stored`.execute(
    db,
  );
  await sql`drop index files_possible_duplicate_idx`.execute(db);
  await sql`create index files_possible_duplicate_day_idx on files (
      org_id,
      (coalesce(receipt_date, (captured_at at time zone 'UTC')::date)),
      (case when meta->>'amount' ~ '^-?[0-9]+([.][0-9]+)?$' then (meta->>'amount')::numeric end)
    ) where meta ? 'amount'`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index files_possible_duplicate_day_idx`.execute(db);
  await sql`create index files_possible_duplicate_idx on files (
      org_id,
      ((captured_at at time zone 'UTC')::date),
      (case when meta->>'amount' ~ '^-?[0-9]+([.][0-9]+)?$' then (meta->>'amount')::numeric end)
    ) where meta ? 'amount'`.execute(db);
  await sql`alter table files drop column receipt_date`.execute(db);
}
