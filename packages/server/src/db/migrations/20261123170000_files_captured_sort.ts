// files.list sorted by captured time (sort: 'captured'): ordered index paths for the org's list and a field user's own.
import type { Kysely } from 'kysely';

// Migrations take Kysely<any> and never import app code: they must keep working after the app changes.
/* eslint-disable @typescript-eslint/no-explicit-any */

/** Same shape as the received-order indexes: a page is an index range scan, never a sort of every match. */
const INDEXES: { name: string; columns: string[] }[] = [
  { name: 'files_org_captured_idx', columns: ['org_id', 'captured_at desc', 'id desc'] },
  // Field staff always list their own uploads (uploaded_by is part of their scope).
  {
    name: 'files_org_uploader_captured_idx',
    columns: ['org_id', 'uploaded_by', 'captured_at desc', 'id desc'],
  },
];

export async function up(db: Kysely<any>): Promise<void> {
  for (const index of INDEXES) {
    await db.schema.createIndex(index.name).on('files').columns(index.columns).execute();
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const index of [...INDEXES].reverse()) await db.schema.dropIndex(index.name).execute();
}
