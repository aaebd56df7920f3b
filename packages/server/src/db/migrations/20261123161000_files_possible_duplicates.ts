// Possible-duplicate lookups (same org, capture day and amount): an expression index so files.get and duplicatesOnly stay index scans.
import { sql, type Kysely } from 'kysely';

// Migrations take Kysely<any> and never import app code: they must keep working after the app changes.
/* eslint-disable @typescript-eslint/no-explicit-any */

// The expressions must stay byte-for-byte those of files/duplicates.repository.ts, or the planner
// cannot use the index. Partial: only rows with an amount can have a possible duplicate.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create index files_possible_duplicate_idx on files (
      org_id,
      ((captured_at at time zone 'UTC')::date),
      (case when meta->>'amount' ~ '^-?[0-9]+([.][0-9]+)?$' then (meta->>'amount')::numeric end)
    ) where meta ? 'amount'`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index files_possible_duplicate_idx`.execute(db);
}
