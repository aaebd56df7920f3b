// Indexes for keyset listing of files (per filter) and of the audit log (seq desc per filter), so pages stay fast on millions of rows.
import { sql, type Kysely } from 'kysely';

// Migrations take Kysely<any> and never import app code: they must keep working after the app changes.
/* eslint-disable @typescript-eslint/no-explicit-any */

/** Every index this migration adds, in creation order (down drops them in reverse). */
const INDEXES: { name: string; table: string; columns: string[]; where?: string }[] = [
  // files.list orders by (received_at desc, id desc) inside an org; each common equality filter gets
  // its own prefix so a page is an index range scan, never a sort of every match.
  {
    name: 'files_org_uploader_received_idx',
    table: 'files',
    columns: ['org_id', 'uploaded_by', 'received_at desc', 'id desc'],
  },
  {
    name: 'files_org_status_received_idx',
    table: 'files',
    columns: ['org_id', 'status', 'received_at desc', 'id desc'],
  },
  {
    name: 'files_org_type_received_idx',
    table: 'files',
    columns: ['org_id', 'system', 'object_type', 'received_at desc', 'id desc'],
  },
  {
    name: 'files_org_duplicates_received_idx',
    table: 'files',
    columns: ['org_id', 'received_at desc', 'id desc'],
    where: 'duplicate_of is not null',
  },
  {
    name: 'files_duplicate_of_idx',
    table: 'files',
    columns: ['duplicate_of'],
    where: 'duplicate_of is not null',
  },
  // audit.list pages on seq desc inside an org (the primary key serves the unfiltered list).
  {
    name: 'audit_events_org_actor_seq_idx',
    table: 'audit_events',
    columns: ['org_id', 'actor_user_id', 'seq desc'],
  },
  {
    name: 'audit_events_org_file_seq_idx',
    table: 'audit_events',
    columns: ['org_id', 'target_file_id', 'seq desc'],
    where: 'target_file_id is not null',
  },
  {
    name: 'audit_events_org_action_seq_idx',
    table: 'audit_events',
    columns: ['org_id', 'action', 'seq desc'],
  },
  {
    name: 'audit_events_org_failures_seq_idx',
    table: 'audit_events',
    columns: ['org_id', 'seq desc'],
    where: 'not success',
  },
];

export async function up(db: Kysely<any>): Promise<void> {
  for (const index of INDEXES) {
    let builder = db.schema.createIndex(index.name).on(index.table).columns(index.columns);
    if (index.where) builder = builder.where(sql.raw<boolean>(index.where));
    await builder.execute();
  }
  // The (org_id, target_file_id) index of the initial migration is a prefix of the one above.
  await db.schema.dropIndex('audit_events_org_file_idx').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex('audit_events_org_file_idx')
    .on('audit_events')
    .columns(['org_id', 'target_file_id'])
    .where('target_file_id', 'is not', null)
    .execute();
  for (const index of [...INDEXES].reverse()) await db.schema.dropIndex(index.name).execute();
}
