// A trigram index for files.list's text filter on the capture note (meta->>'note'), where pg_trgm is available.
import { sql, type Kysely } from 'kysely';

// Migrations take Kysely<any> and never import app code: they must keep working after the app changes.
/* eslint-disable @typescript-eslint/no-explicit-any */

// Like the filename and vendor indexes (20261123134000): only an optimisation, so conditional on the
// extension that migration tried to create; without it (PGlite, no contrib) the text filter scans.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    do $$ begin
      if exists (select 1 from pg_extension where extname = 'pg_trgm') then
        create index files_note_trgm_idx on files using gin ((meta->>'note') gin_trgm_ops);
      end if;
    end $$`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists files_note_trgm_idx`.execute(db);
}
