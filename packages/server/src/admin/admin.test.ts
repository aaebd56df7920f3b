// admin.users.*: effects, audit rows in the same transaction, the last-admin guard, and first-start bootstrap.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findChainBreak } from '../audit/audit.chain.js';
import { resolveSession } from '../auth/auth.service.js';
import { bootstrapFirstAdmin, DEFAULT_ADMIN_EMAIL } from '../auth/bootstrap.js';
import { DB_KINDS, createTestDatabase } from '../test/db.js';
import { expectCode } from '../test/expect-error.js';
import { createHarness, type Harness } from '../test/harness.js';

describe.each(DB_KINDS)('admin.users on %s', (kind) => {
  let h: Harness;
  let org: Awaited<ReturnType<Harness['seedOrg']>>;
  let admin: ReturnType<Harness['caller']>;

  beforeAll(async () => {
    h = await createHarness(kind);
    org = await h.seedOrg('hq');
    admin = h.caller((await h.sessionFor(org.users.admin)).session);
  });
  afterAll(async () => {
    await h.destroy();
  });

  const auditOf = (action: string) =>
    h.test.db
      .selectFrom('audit_events')
      .selectAll()
      .where('org_id', '=', org.orgId)
      .where('action', '=', action)
      .orderBy('seq')
      .execute();

  const login = (email: string, password: string) => h.caller(null).auth.login({ email, password });

  it('creates a user who can sign in; USER_CREATED is audited without the password', async () => {
    const user = await admin.admin.users.create({
      email: 'New.Person@HQ.test',
      name: 'New Person',
      role: 'office',
      password: 'first password 123',
    });
    expect(user).toMatchObject({ email: 'new.person@hq.test', role: 'office', disabled: false });
    expect((await login('new.person@hq.test', 'first password 123')).id).toBe(user.id);
    const [event] = await auditOf('USER_CREATED');
    expect(event).toMatchObject({
      actor_user_id: org.users.admin.id,
      actor_role: 'admin',
      success: true,
    });
    expect(JSON.stringify(event)).not.toContain('first password');
    await expectCode(
      admin.admin.users.create({
        email: 'new.person@hq.test',
        name: 'Twin',
        role: 'field',
        password: 'first password 123',
      }),
      'CONFLICT',
    );
  });

  it('lists the org users, optionally without disabled ones', async () => {
    const all = await admin.admin.users.list();
    expect(all.map((u) => u.email)).toContain('field@hq.test');
    expect(all.every((u) => !('passwordHash' in u) && !('password_hash' in u))).toBe(true);
  });

  it('updates name and role; a role change ends the user sessions', async () => {
    const { session, token } = await h.sessionFor(org.users.field);
    expect(session.role).toBe('field');
    const updated = await admin.admin.users.update({
      id: org.users.field.id,
      name: 'Renamed',
      role: 'office',
    });
    expect(updated).toMatchObject({ name: 'Renamed', role: 'office' });
    expect(await resolveSession(h.deps, token)).toBeNull();
    const [event] = await auditOf('USER_UPDATED');
    expect(event?.details).toMatchObject({ changes: { name: 'Renamed', role: 'office' } });
    await admin.admin.users.update({ id: org.users.field.id, role: 'field' });
  });

  it('disables a user: sessions end, sign-in refused, re-enable via update', async () => {
    const target = org.users.auditor;
    const { token } = await h.sessionFor(target);
    const disabled = await admin.admin.users.disable({ id: target.id });
    expect(disabled.disabled).toBe(true);
    expect(await resolveSession(h.deps, token)).toBeNull();
    await expectCode(login(target.email, 'correct horse battery staple'), 'UNAUTHENTICATED');
    expect(
      (await admin.admin.users.list({ includeDisabled: false })).map((u) => u.id),
    ).not.toContain(target.id);
    expect(await auditOf('USER_DISABLED')).toHaveLength(1);
    await admin.admin.users.update({ id: target.id, disabled: false });
    expect((await login(target.email, 'correct horse battery staple')).id).toBe(target.id);
  });

  it('resets a password: generated once or given; old password and sessions stop working', async () => {
    const target = org.users.office;
    const { token } = await h.sessionFor(target);
    const generated = await admin.admin.users.resetPassword({ id: target.id });
    expect(generated.generatedPassword).toMatch(/^[A-Za-z0-9]{20}$/);
    expect(await resolveSession(h.deps, token)).toBeNull();
    await expectCode(login(target.email, 'correct horse battery staple'), 'UNAUTHENTICATED');
    expect((await login(target.email, generated.generatedPassword ?? '')).id).toBe(target.id);

    const chosen = await admin.admin.users.resetPassword({
      id: target.id,
      password: 'chosen password 42',
    });
    expect(chosen.generatedPassword).toBeNull();
    expect((await login(target.email, 'chosen password 42')).id).toBe(target.id);
    const events = await auditOf('PASSWORD_RESET');
    expect(events).toHaveLength(2);
    expect(JSON.stringify(events)).not.toContain('chosen password');
  });

  it('refuses to disable or demote the last active admin, changing nothing', async () => {
    await expectCode(admin.admin.users.disable({ id: org.users.admin.id }), 'CONFLICT');
    await expectCode(
      admin.admin.users.update({ id: org.users.admin.id, role: 'office' }),
      'CONFLICT',
    );
    const row = await h.test.db
      .selectFrom('users')
      .selectAll()
      .where('id', '=', org.users.admin.id)
      .executeTakeFirst();
    expect(row).toMatchObject({ role: 'admin', disabled: false });
    expect(await auditOf('USER_DISABLED')).toHaveLength(1);
  });

  it('leaves the org audit chain intact', async () => {
    const rows = await h.test.db
      .selectFrom('audit_events')
      .selectAll()
      .where('org_id', '=', org.orgId)
      .orderBy('seq')
      .execute();
    expect(rows.length).toBeGreaterThan(5);
    expect(findChainBreak(rows)).toBeNull();
  });
});

describe.each(DB_KINDS)('first start on %s', (kind) => {
  it('creates the first org and admin once, with a generated or configured password', async () => {
    const t = await createTestDatabase(kind);
    try {
      const clock = () => new Date();
      const [first, second] = await Promise.all([
        bootstrapFirstAdmin({ db: t.db, clock }, {}),
        bootstrapFirstAdmin({ db: t.db, clock }, {}),
      ]);
      const created = first ?? second;
      expect([first, second].filter(Boolean)).toHaveLength(1);
      expect(created?.email).toBe(DEFAULT_ADMIN_EMAIL);
      expect(created?.generatedPassword).toMatch(/^[A-Za-z0-9]{20}$/);
      expect(await bootstrapFirstAdmin({ db: t.db, clock }, {})).toBeNull();
      const users = await t.db.selectFrom('users').selectAll().execute();
      expect(users).toHaveLength(1);
      expect(users[0]).toMatchObject({ role: 'admin', email: DEFAULT_ADMIN_EMAIL });
    } finally {
      await t.destroy();
    }

    const u = await createTestDatabase(kind);
    try {
      const result = await bootstrapFirstAdmin(
        { db: u.db, clock: () => new Date() },
        { email: 'boss@example.com', password: 'configured password' },
      );
      expect(result).toMatchObject({ email: 'boss@example.com', generatedPassword: null });
    } finally {
      await u.destroy();
    }
  });
});
