// Purged records stay as tombstones (files.purge now keeps the row, as the purge job does): like a mismatch, a purged row no longer holds its capture id, so the capture's live upload is not blocked.
import { sql, type Kysely } from 'kysely';

// Migrations take Kysely<any> and never import app code: they must keep working after the app changes.
/* eslint-disable @typescript-eslint/no-explicit-any */

export async function up(db: Kysely<any>): Promise<void> {
  // Purging a mismatch record whose capture was uploaded again would otherwise collide with the live row.
  await sql`drop index files_org_capture_live_key`.execute(db);
  await sql`create unique index files_org_capture_live_key on files (org_id, capture_id)
    where status not in ('mismatch', 'purged')`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  // Fails if a purged tombstone and a live row share a capture: resolve those before going back.
  await sql`drop index files_org_capture_live_key`.execute(db);
  await sql`create unique index files_org_capture_live_key on files (org_id, capture_id)
    where status <> 'mismatch'`.execute(db);
}
