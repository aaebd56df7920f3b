// The text-search trigram indexes keep GIN's pending list after all, capped at 64 kB: fastupdate off (20261207090000) made every insert 4–10× dearer.
import { sql, type Kysely } from 'kysely';

// Migrations take Kysely<any> and never import app code: they must keep working after the app changes.
/* eslint-disable @typescript-eslint/no-explicit-any */

// Measured on 200k rows with the three indexes: a bulk insert took 5 s with the default 4 MB list, 15 s
// with a 64 kB list and 54 s with none; one-row inserts cost 40, 97 and 340 µs. A search reads the
// whole pending list, so 64 kB bounds that to 8 pages per index (4 MB was ~500 pages, 40 ms under
// load) while new rows' trigrams are still filed in batches. The indexes exist only with pg_trgm.
const INDEXES = ['files_filename_trgm_idx', 'files_vendor_trgm_idx', 'files_note_trgm_idx'];

async function alterEach(db: Kysely<any>, options: string): Promise<void> {
  for (const name of INDEXES) {
    await sql`
      do $$ begin
        if to_regclass(${sql.lit(name)}) is not null then
          execute format(${sql.lit(`alter index %I ${options}`)}, ${sql.lit(name)});
        end if;
      end $$`.execute(db);
  }
}

export async function up(db: Kysely<any>): Promise<void> {
  await alterEach(db, 'reset (fastupdate)');
  await alterEach(db, 'set (gin_pending_list_limit = 64)');
}

export async function down(db: Kysely<any>): Promise<void> {
  await alterEach(db, 'reset (gin_pending_list_limit)');
  await alterEach(db, 'set (fastupdate = off)');
}
