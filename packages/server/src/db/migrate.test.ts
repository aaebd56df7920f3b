// Migrations from empty: up creates every table and the append-only trigger, down removes everything, up again works.
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmptyDatabase, DB_KINDS, type TestDatabase } from '../test/db.js';
import { migrateDownToEmpty, migrateToLatest } from './migrate.js';
import { migrations } from './migrations/index.js';

/** Every migration in the order it runs (later issues add theirs to the index). */
const NAMES = Object.keys(migrations);

const TABLES = [
  'audit_chain_heads',
  'audit_checkpoints',
  'audit_events',
  'device_events',
  'file_events',
  'files',
  'import_items',
  'job_leases',
  'job_runs',
  'login_throttle',
  'org_retention',
  'orgs',
  'sessions',
  'upload_sessions',
  'users',
  'webhook_deliveries',
  'webhooks',
];

async function publicTables(t: TestDatabase): Promise<string[]> {
  const { rows } = await sql<{ table_name: string }>`
    select table_name from information_schema.tables
    where table_schema = current_schema() and table_name not like 'kysely_%' order by table_name`.execute(
    t.db,
  );
  return rows.map((r) => r.table_name);
}

/** A bare org row (the migrated schema's defaults fill the rest). */
function insertOrg(t: TestDatabase, name: string): Promise<{ id: string }> {
  return t.db.insertInto('orgs').values({ name }).returning('id').executeTakeFirstOrThrow();
}

describe.each(DB_KINDS)('migrations on %s', (kind) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createEmptyDatabase(kind);
  });
  afterAll(async () => {
    await t.destroy();
  });

  it('go up from empty, down to empty, and up again', async () => {
    expect(await publicTables(t)).toEqual([]);
    expect(await migrateToLatest(t.db)).toEqual(NAMES.map((n) => `applied ${n}`));
    expect(await publicTables(t)).toEqual(TABLES);
    expect(await migrateToLatest(t.db)).toEqual([]);

    expect(await migrateDownToEmpty(t.db)).toEqual(
      [...NAMES].reverse().map((n) => `reverted ${n}`),
    );
    expect(await publicTables(t)).toEqual([]);
    const { rows } = await sql<{ n: number }>`
      select count(*)::int as n from pg_proc where proname = 'audit_events_refuse_change'`.execute(
      t.db,
    );
    expect(rows[0]?.n).toBe(0);

    await migrateToLatest(t.db);
    expect(await publicTables(t)).toEqual(TABLES);
  });

  it('refuses UPDATE, DELETE and TRUNCATE on audit_events', async () => {
    const org = await insertOrg(t, 'Acme');
    const zero = '0'.repeat(64);
    await t.db
      .insertInto('audit_events')
      .values({
        id: randomUUID(),
        org_id: org.id,
        seq: 1,
        at: new Date(),
        action: 'TEST',
        success: true,
        prev_hash: zero,
        hash: zero,
      })
      .execute();
    await expect(t.db.updateTable('audit_events').set({ action: 'X' }).execute()).rejects.toThrow(
      /append-only/,
    );
    await expect(t.db.deleteFrom('audit_events').execute()).rejects.toThrow(/append-only/);
    await expect(sql`truncate audit_events`.execute(t.db)).rejects.toThrow(/append-only/);
    const rows = await t.db.selectFrom('audit_events').selectAll().execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]?.seq).toBe(1);
  });

  it('enforces role and status CHECKs and per-org e-mail uniqueness', async () => {
    const org = await insertOrg(t, 'Checks');
    const user = {
      org_id: org.id,
      email: 'a@example.com',
      password_hash: 'x',
      role: 'field' as const,
    };
    await t.db.insertInto('users').values(user).execute();
    await expect(t.db.insertInto('users').values(user).execute()).rejects.toThrow(
      /users_org_email_key/,
    );
    await expect(
      t.db
        .insertInto('users')
        .values({ ...user, email: 'b@example.com', role: 'root' as never })
        .execute(),
    ).rejects.toThrow(/check/i);
    await expect(
      t.db
        .insertInto('users')
        .values({ ...user, email: 'Upper@example.com' })
        .execute(),
    ).rejects.toThrow(/check/i);
  });
});
