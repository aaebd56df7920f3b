// Upload protocol: a mismatched capture may be uploaded again (live-only uniqueness), one live session per file, claim and verdict columns.
import { sql, type Kysely } from 'kysely';

// Migrations take Kysely<any> and never import app code: they must keep working after the app changes.
/* eslint-disable @typescript-eslint/no-explicit-any */

export async function up(db: Kysely<any>): Promise<void> {
  // A mismatch record stays (under its quarantine key) as evidence; the device then begins the same
  // capture again, so only non-mismatch rows are unique per (org, capture).
  await sql`alter table files drop constraint files_org_capture_key`.execute(db);
  await sql`create unique index files_org_capture_live_key on files (org_id, capture_id)
    where status <> 'mismatch'`.execute(db);

  // At most one open or completing session per file: concurrent begins cannot open two.
  await sql`create unique index upload_sessions_file_live_key on upload_sessions (file_id)
    where state in ('open', 'completing')`.execute(db);

  await db.schema
    .alterTable('upload_sessions')
    // When `complete` claimed the session; also its claim token (finalise only if it is still ours).
    .addColumn('claimed_at', 'timestamptz')
    // The SHA-256 the stored bytes actually had, when it differed from the device's.
    .addColumn('actual_sha256', 'text', (c) => c.check(sql`actual_sha256 ~ '^[0-9a-f]{64}$'`))
    // What binds the bytes in the URLs: a signed SHA-256, signed MD5s, or nothing (verified at complete only).
    .addColumn('binding', 'text', (c) =>
      c
        .notNull()
        .defaultTo('sha256')
        .check(sql`binding in ('sha256', 'md5', 'none')`),
    )
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('upload_sessions')
    .dropColumn('binding')
    .dropColumn('actual_sha256')
    .dropColumn('claimed_at')
    .execute();
  await sql`drop index upload_sessions_file_live_key`.execute(db);
  await sql`drop index files_org_capture_live_key`.execute(db);
  // Fails while a capture has both a mismatch and a live record; delete one of them first.
  await sql`alter table files add constraint files_org_capture_key unique (org_id, capture_id)`.execute(
    db,
  );
}
