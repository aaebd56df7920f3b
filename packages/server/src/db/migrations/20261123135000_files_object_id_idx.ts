// files.list by objectId alone ("every file of expense exp-42", whatever its type): an ordered index path instead of a scan of the org.
import type { Kysely } from 'kysely';

// Migrations take Kysely<any> and never import app code: they must keep working after the app changes.
/* eslint-disable @typescript-eslint/no-explicit-any */

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex('files_org_object_id_received_idx')
    .on('files')
    .columns(['org_id', 'object_id', 'received_at desc', 'id desc'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('files_org_object_id_received_idx').execute();
}
