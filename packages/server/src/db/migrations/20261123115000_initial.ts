// Initial schema: orgs, users, sessions, login throttle, files, upload sessions, the append-only audit chain, device events.
import { sql, type Kysely } from 'kysely';

// Migrations take Kysely<any> and never import app code: they must keep working after the app changes.
/* eslint-disable @typescript-eslint/no-explicit-any */

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('orgs')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('name', 'text', (c) => c.notNull().check(sql`length(name) between 1 and 200`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('users')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('org_id', 'uuid', (c) => c.notNull().references('orgs.id'))
    // Stored lowercased; uniqueness per org is case-insensitive because of it.
    .addColumn('email', 'text', (c) =>
      c.notNull().check(sql`email = lower(email) and length(email) <= 320`),
    )
    .addColumn('name', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) =>
      c.notNull().check(sql`role in ('field', 'office', 'admin', 'auditor')`),
    )
    .addColumn('disabled', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('password_changed_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('users_org_email_key', ['org_id', 'email'])
    .execute();
  await db.schema.createIndex('users_email_idx').on('users').column('email').execute();

  await db.schema
    .createTable('sessions')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    // SHA-256 hex of the opaque cookie token: a leaked table cannot be replayed as cookies.
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('org_id', 'uuid', (c) => c.notNull().references('orgs.id'))
    .addColumn('device_label', 'text')
    .addColumn('user_agent', 'text')
    .addColumn('ip', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('last_seen_at', 'timestamptz', (c) => c.notNull())
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('revoked_at', 'timestamptz')
    .execute();
  await db.schema.createIndex('sessions_user_idx').on('sessions').column('user_id').execute();

  // Failed-login counters shared by all replicas; keys are `account:{email}` and `ip:{address}`.
  await db.schema
    .createTable('login_throttle')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('failures', 'integer', (c) => c.notNull().check(sql`failures >= 0`))
    .addColumn('last_failure_at', 'timestamptz', (c) => c.notNull())
    .addColumn('blocked_until', 'timestamptz')
    .execute();

  await db.schema
    .createTable('files')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('org_id', 'uuid', (c) => c.notNull().references('orgs.id'))
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('capture_id', 'uuid', (c) => c.notNull())
    .addColumn('system', 'text', (c) => c.notNull())
    .addColumn('object_type', 'text', (c) => c.notNull())
    .addColumn('object_id', 'text', (c) => c.notNull())
    .addColumn('original_filename', 'text', (c) => c.notNull())
    .addColumn('safe_filename', 'text', (c) => c.notNull())
    .addColumn('size', 'bigint', (c) => c.notNull().check(sql`size >= 0`))
    .addColumn('content_type', 'text', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull().check(sql`sha256 ~ '^[0-9a-f]{64}$'`))
    .addColumn('status', 'text', (c) =>
      c
        .notNull()
        .defaultTo('pending')
        .check(sql`status in ('pending', 'verified', 'mismatch', 'deleted')`),
    )
    .addColumn('duplicate_of', 'uuid', (c) => c.references('files.id'))
    .addColumn('uploaded_by', 'uuid', (c) => c.notNull().references('users.id'))
    .addColumn('device_label', 'text')
    .addColumn('captured_at', 'timestamptz', (c) => c.notNull())
    .addColumn('received_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('verified_at', 'timestamptz')
    .addColumn('deleted_at', 'timestamptz')
    .addColumn('deleted_by', 'uuid', (c) => c.references('users.id'))
    .addColumn('retention_until', 'timestamptz')
    .addColumn('meta', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addUniqueConstraint('files_key_key', ['key'])
    .addUniqueConstraint('files_org_capture_key', ['org_id', 'capture_id'])
    .addCheckConstraint(
      'files_deleted_consistent',
      sql`(status = 'deleted') = (deleted_at is not null)`,
    )
    .execute();
  // Keyset paging: newest first within an org, id as the tie-breaker.
  await db.schema
    .createIndex('files_org_received_idx')
    .on('files')
    .columns(['org_id', 'received_at desc', 'id desc'])
    .execute();
  await db.schema
    .createIndex('files_org_sha256_idx')
    .on('files')
    .columns(['org_id', 'sha256'])
    .execute();
  await db.schema
    .createIndex('files_org_object_idx')
    .on('files')
    .columns(['org_id', 'system', 'object_type', 'object_id'])
    .execute();

  await db.schema
    .createTable('upload_sessions')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('org_id', 'uuid', (c) => c.notNull().references('orgs.id'))
    .addColumn('file_id', 'uuid', (c) => c.notNull().references('files.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('single', 'multipart')`))
    .addColumn('storage_upload_id', 'text')
    .addColumn('part_size', 'bigint', (c) => c.notNull().check(sql`part_size >= 0`))
    .addColumn('parts_count', 'integer', (c) =>
      c.notNull().check(sql`parts_count between 1 and 10000`),
    )
    .addColumn('md5', 'text')
    .addColumn('part_md5s', 'jsonb')
    .addColumn('state', 'text', (c) =>
      c
        .notNull()
        .defaultTo('open')
        .check(sql`state in ('open', 'completing', 'completed', 'aborted', 'expired')`),
    )
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addCheckConstraint(
      'upload_sessions_multipart_id',
      sql`(kind = 'multipart') = (storage_upload_id is not null)`,
    )
    .execute();
  await db.schema
    .createIndex('upload_sessions_file_idx')
    .on('upload_sessions')
    .column('file_id')
    .execute();
  await db.schema
    .createIndex('upload_sessions_open_expiry_idx')
    .on('upload_sessions')
    .column('expires_at')
    .where(sql.ref('state'), 'in', ['open', 'completing'])
    .execute();

  // The head of each org's audit chain; writers lock it (FOR UPDATE) so seq stays gapless under concurrency.
  await db.schema
    .createTable('audit_chain_heads')
    .addColumn('org_id', 'uuid', (c) => c.primaryKey().references('orgs.id'))
    .addColumn('seq', 'bigint', (c) => c.notNull().check(sql`seq >= 0`))
    .addColumn('hash', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('audit_events')
    .addColumn('id', 'uuid', (c) => c.notNull().unique())
    .addColumn('org_id', 'uuid', (c) => c.notNull().references('orgs.id'))
    .addColumn('seq', 'bigint', (c) => c.notNull().check(sql`seq >= 1`))
    .addColumn('at', 'timestamptz', (c) => c.notNull())
    // The device's clock, for events recorded offline and ingested later.
    .addColumn('device_at', 'timestamptz')
    .addColumn('actor_user_id', 'uuid')
    .addColumn('actor_role', 'text')
    .addColumn('ip', 'text')
    .addColumn('user_agent', 'text')
    .addColumn('device_label', 'text')
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('target_file_id', 'uuid')
    .addColumn('target_key', 'text')
    .addColumn('capture_id', 'uuid')
    .addColumn('success', 'boolean', (c) => c.notNull())
    .addColumn('error_code', 'text')
    .addColumn('details', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('prev_hash', 'text', (c) => c.notNull().check(sql`prev_hash ~ '^[0-9a-f]{64}$'`))
    .addColumn('hash', 'text', (c) => c.notNull().check(sql`hash ~ '^[0-9a-f]{64}$'`))
    .addPrimaryKeyConstraint('audit_events_pkey', ['org_id', 'seq'])
    .execute();
  await db.schema
    .createIndex('audit_events_org_at_idx')
    .on('audit_events')
    .columns(['org_id', 'at'])
    .execute();
  await db.schema
    .createIndex('audit_events_org_file_idx')
    .on('audit_events')
    .columns(['org_id', 'target_file_id'])
    .where('target_file_id', 'is not', null)
    .execute();

  // Append-only, enforced by the database: no UPDATE, DELETE or TRUNCATE by the application role.
  await sql`
    create function audit_events_refuse_change() returns trigger language plpgsql as $$
    begin
      raise exception 'audit_events is append-only (% refused)', tg_op using errcode = 'insufficient_privilege';
    end
    $$`.execute(db);
  await sql`
    create trigger audit_events_no_update_delete before update or delete on audit_events
    for each row execute function audit_events_refuse_change()`.execute(db);
  await sql`
    create trigger audit_events_no_truncate before truncate on audit_events
    for each statement execute function audit_events_refuse_change()`.execute(db);

  await db.schema
    .createTable('device_events')
    .addColumn('org_id', 'uuid', (c) => c.notNull().references('orgs.id'))
    // Client-generated id: the device retries pushes, the primary key makes ingestion idempotent.
    .addColumn('id', 'uuid', (c) => c.notNull())
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id'))
    .addColumn('device_label', 'text')
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('capture_id', 'uuid')
    .addColumn('sha256', 'text', (c) => c.check(sql`sha256 ~ '^[0-9a-f]{64}$'`))
    .addColumn('device_at', 'timestamptz', (c) => c.notNull())
    .addColumn('received_at', 'timestamptz', (c) => c.notNull())
    .addColumn('skew_ms', 'bigint', (c) => c.notNull())
    .addColumn('skew_flagged', 'boolean', (c) => c.notNull())
    .addColumn('details', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('audit_seq', 'bigint')
    .addPrimaryKeyConstraint('device_events_pkey', ['org_id', 'id'])
    .execute();
  await db.schema
    .createIndex('device_events_org_capture_idx')
    .on('device_events')
    .columns(['org_id', 'capture_id'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('device_events').execute();
  // Triggers go first: TRUNCATE/DROP of the table itself is not blocked, but the function is referenced.
  await sql`drop trigger audit_events_no_truncate on audit_events`.execute(db);
  await sql`drop trigger audit_events_no_update_delete on audit_events`.execute(db);
  await db.schema.dropTable('audit_events').execute();
  await sql`drop function audit_events_refuse_change()`.execute(db);
  await db.schema.dropTable('audit_chain_heads').execute();
  await db.schema.dropTable('upload_sessions').execute();
  await db.schema.dropTable('files').execute();
  await db.schema.dropTable('login_throttle').execute();
  await db.schema.dropTable('sessions').execute();
  await db.schema.dropTable('users').execute();
  await db.schema.dropTable('orgs').execute();
}
