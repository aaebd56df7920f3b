// The text-search trigram indexes without GIN's pending list (fastupdate off), so a search never scans megabytes of unsorted recent entries.
import { sql, type Kysely } from 'kysely';

// Migrations take Kysely<any> and never import app code: they must keep working after the app changes.
/* eslint-disable @typescript-eslint/no-explicit-any */

// With fastupdate on (the default), new rows' trigrams queue in a pending list of up to 4 MB that every
// search reads in full until (auto)vacuum merges it: on 1M rows that was ~500 pages per index and 40 ms
// per index at each search, for the three indexes even when nothing matched. Off, each insert files its
// trigrams in place (a little more work per upload) and a search reads only the entries it needs.
// The indexes exist only where pg_trgm does (20261123134000, 20261123171000), hence the checks.
const INDEXES = ['files_filename_trgm_idx', 'files_vendor_trgm_idx', 'files_note_trgm_idx'];

export async function up(db: Kysely<any>): Promise<void> {
  for (const name of INDEXES) {
    await sql`
      do $$ begin
        if to_regclass(${sql.lit(name)}) is not null then
          execute format('alter index %I set (fastupdate = off)', ${sql.lit(name)});
          -- What is already queued is merged now; fastupdate off only stops new queueing.
          perform gin_clean_pending_list(to_regclass(${sql.lit(name)}));
        end if;
      end $$`.execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const name of [...INDEXES].reverse()) {
    await sql`
      do $$ begin
        if to_regclass(${sql.lit(name)}) is not null then
          execute format('alter index %I reset (fastupdate)', ${sql.lit(name)});
        end if;
      end $$`.execute(db);
  }
}
