// A soft-deleted file remembers the status it was deleted from, so restoring gives that back (a mismatched or missing file must never come back `verified`).
import { sql, type Kysely } from 'kysely';

// Migrations take Kysely<any> and never import app code: they must keep working after the app changes.
/* eslint-disable @typescript-eslint/no-explicit-any */

export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table files add column deleted_from text
    check (deleted_from in ('verified', 'mismatch', 'missing'))`.execute(db);
  // Files deleted before: their file.deleted event recorded the status they had.
  await sql`update files f set deleted_from = (
      select e.payload->>'previousStatus' from file_events e
       where e.file_id = f.id and e.type = 'file.deleted'
         and e.payload->>'previousStatus' in ('verified', 'mismatch', 'missing')
       order by e.created_at desc, e.seq desc limit 1)
    where f.status = 'deleted'`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table files drop column deleted_from`.execute(db);
}
