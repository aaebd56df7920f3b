// Events outbox: one row per file change (uploaded, verified, mismatch, deleted, restored, purged, missing), written in the change's transaction.
import { sql, type Kysely } from 'kysely';

// Migrations take Kysely<any> and never import app code: they must keep working after the app changes.
/* eslint-disable @typescript-eslint/no-explicit-any */

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('file_events')
    .addColumn('org_id', 'uuid', (c) => c.notNull().references('orgs.id'))
    // Gapless per org and in commit order (assigned under the org's chain-head lock): consumers resume with seq > last.
    .addColumn('seq', 'bigint', (c) => c.notNull().check(sql`seq >= 1`))
    // uuidv7, what consumers dedupe on (at-least-once delivery) and what SSE sends as the event id.
    .addColumn('id', 'uuid', (c) => c.notNull().unique())
    .addColumn('type', 'text', (c) =>
      c
        .notNull()
        .check(
          sql`type in ('file.uploaded', 'file.verified', 'file.mismatch', 'file.deleted', 'file.restored', 'file.purged', 'file.missing')`,
        ),
    )
    // No foreign key: a purged file's row is gone, its events stay.
    .addColumn('file_id', 'uuid')
    .addColumn('payload', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('file_events_pkey', ['org_id', 'seq'])
    .execute();
  await db.schema
    .createIndex('file_events_file_idx')
    .on('file_events')
    .columns(['file_id', 'seq'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('file_events').execute();
}
