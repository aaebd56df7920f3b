// Compliance lifecycle of files: `missing` (reconcile found no object) and `purged` (bytes gone, record kept), legal holds, re-hash bookkeeping, per-org retention.
import { sql, type Kysely } from 'kysely';

// Migrations take Kysely<any> and never import app code: they must keep working after the app changes.
/* eslint-disable @typescript-eslint/no-explicit-any */

export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table files drop constraint files_status_check`.execute(db);
  await sql`alter table files add constraint files_status_check
    check (status in ('pending', 'verified', 'mismatch', 'deleted', 'missing', 'purged'))`.execute(
    db,
  );
  // A purged file was soft-deleted first and keeps when: deleted_at stays set.
  await sql`alter table files drop constraint files_deleted_consistent`.execute(db);
  await sql`alter table files add constraint files_deleted_consistent
    check ((status in ('deleted', 'purged')) = (deleted_at is not null))`.execute(db);
  await db.schema
    .alterTable('files')
    .addColumn('purged_at', 'timestamptz')
    .addColumn('legal_hold', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('last_checked_at', 'timestamptz')
    .execute();
  await sql`alter table files add constraint files_purged_consistent
    check ((status = 'purged') = (purged_at is not null))`.execute(db);
  // The re-hash job reads the least recently checked verified files first.
  await sql`create index files_rehash_idx on files (last_checked_at nulls first, id)
    where status = 'verified'`.execute(db);
  // The purge job looks for files soft-deleted before the grace period.
  await sql`create index files_deleted_at_idx on files (deleted_at) where status = 'deleted'`.execute(
    db,
  );
  // Reconcile walks files in S3 key order (bytes): a "C"-collated index serves that order.
  await sql`create index files_key_c_idx on files (key collate "C")`.execute(db);
  await db.schema
    .createTable('org_retention')
    .addColumn('org_id', 'uuid', (c) => c.notNull().references('orgs.id'))
    .addColumn('system', 'text', (c) => c.notNull())
    .addColumn('object_type', 'text', (c) => c.notNull())
    .addColumn('years', 'integer', (c) => c.notNull().check(sql`years between 0 and 100`))
    .addPrimaryKeyConstraint('org_retention_pkey', ['org_id', 'system', 'object_type'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('org_retention').execute();
  await sql`drop index files_key_c_idx`.execute(db);
  await sql`drop index files_deleted_at_idx`.execute(db);
  await sql`drop index files_rehash_idx`.execute(db);
  await sql`alter table files drop constraint files_purged_consistent`.execute(db);
  await db.schema
    .alterTable('files')
    .dropColumn('purged_at')
    .dropColumn('legal_hold')
    .dropColumn('last_checked_at')
    .execute();
  await sql`alter table files drop constraint files_deleted_consistent`.execute(db);
  await sql`alter table files add constraint files_deleted_consistent
    check ((status = 'deleted') = (deleted_at is not null))`.execute(db);
  await sql`alter table files drop constraint files_status_check`.execute(db);
  await sql`alter table files add constraint files_status_check
    check (status in ('pending', 'verified', 'mismatch', 'deleted'))`.execute(db);
}
