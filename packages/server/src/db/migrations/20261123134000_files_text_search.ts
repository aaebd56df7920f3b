// Trigram indexes for files.list's text filter (filename or vendor, substring, any case) where pg_trgm is available.
import { sql, type Kysely } from 'kysely';

// Migrations take Kysely<any> and never import app code: they must keep working after the app changes.
/* eslint-disable @typescript-eslint/no-explicit-any */

// Only an optimisation, so it is conditional: PostgreSQL with contrib gets the indexes; PGlite (which
// loads extensions only when the host asks for them) and servers without contrib keep working, and
// the text filter scans in received order instead. pg_trgm is a trusted extension (no superuser needed).
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    do $$ begin
      create extension if not exists pg_trgm;
    exception when others then
      raise notice 'pg_trgm unavailable (%): files.list text search will scan', sqlerrm;
    end $$`.execute(db);
  await sql`
    do $$ begin
      if exists (select 1 from pg_extension where extname = 'pg_trgm') then
        create index files_filename_trgm_idx on files using gin (original_filename gin_trgm_ops);
        create index files_vendor_trgm_idx on files using gin ((meta->>'vendor') gin_trgm_ops);
      end if;
    end $$`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists files_vendor_trgm_idx`.execute(db);
  await sql`drop index if exists files_filename_trgm_idx`.execute(db);
  // Leave the extension when something else came to depend on it.
  await sql`
    do $$ begin
      drop extension if exists pg_trgm;
    exception when dependent_objects_still_exist then null;
    end $$`.execute(db);
}
