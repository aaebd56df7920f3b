// Authorisation across the whole API: every role × every procedure, org isolation, and bad input on every procedure.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appRouter } from './app-router.js';
import { insertUser } from './auth/users.repository.js';
import type { Role } from './db/schema.js';
import { ACCESS_TABLE, type AccessFixture } from './test/access-table.js';
import { DB_KINDS } from './test/db.js';
import { caught, expectCode } from './test/expect-error.js';
import { ADMIN_OPS_BAD_CASES, ADMIN_OPS_WITHOUT_INPUT } from './admin/admin.access-cases.js';
import { FILES_BAD_CASES } from './files/files.access-cases.js';
import { createHarness, testPasswordHash, type Harness } from './test/harness.js';
import { JOBS_BAD_CASES } from './jobs/jobs.access-cases.js';
import { UPLOAD_BAD_CASES } from './uploads/uploads.access-cases.js';

const ROLES: Role[] = ['field', 'office', 'admin', 'auditor'];

describe.each(DB_KINDS)('access on %s', (kind) => {
  let h: Harness;
  let fx: AccessFixture;
  let orgB: Awaited<ReturnType<Harness['seedOrg']>>;

  beforeAll(async () => {
    h = await createHarness(kind);
    const org = await h.seedOrg('a');
    orgB = await h.seedOrg('b');
    let n = 0;
    fx = {
      h,
      org,
      async freshUser() {
        const email = `fresh${++n}@a.test`;
        const row = await insertUser(h.test.db, {
          org_id: org.orgId,
          email,
          name: 'Fresh',
          role: 'field',
          password_hash: await testPasswordHash(),
        });
        return { id: row.id, orgId: org.orgId, orgName: org.orgName, email, role: 'field' };
      },
    };
  });
  afterAll(async () => {
    await h.destroy();
  });

  it('has a row for every procedure in the app router', () => {
    const procedures = Object.keys(appRouter._def.procedures).sort();
    expect(ACCESS_TABLE.map((c) => c.path).sort()).toEqual(procedures);
  });

  const cases = ACCESS_TABLE.flatMap((c) =>
    [...ROLES, 'anonymous' as const].map((who) => ({ ...c, who })),
  );
  it.each(cases)('$path as $who', async (row) => {
    const { allowed, who } = row;
    const session = who === 'anonymous' ? null : (await h.sessionFor(fx.org.users[who])).session;
    const result = row.call(h.caller(session), fx);
    const permitted =
      allowed === 'public' ||
      (who !== 'anonymous' && (allowed === 'authed' || allowed.includes(who)));
    if (permitted) {
      await expect(result).resolves.toBeDefined();
    } else {
      await expectCode(result, who === 'anonymous' ? 'UNAUTHENTICATED' : 'FORBIDDEN');
    }
  });

  describe('org isolation', () => {
    it('an admin of org A cannot list, change, disable or reset users of org B, even with their ids', async () => {
      const admin = h.caller((await h.sessionFor(fx.org.users.admin)).session);
      const listed = await admin.admin.users.list();
      expect(
        listed.every((u) => u.email.endsWith('@a.test') || u.email.endsWith('@access.test')),
      ).toBe(true);
      const target = orgB.users.office;
      const before = await h.test.db
        .selectFrom('users')
        .selectAll()
        .where('id', '=', target.id)
        .executeTakeFirst();

      await expectCode(admin.admin.users.update({ id: target.id, name: 'Hijacked' }), 'NOT_FOUND');
      await expectCode(admin.admin.users.update({ id: target.id, role: 'admin' }), 'NOT_FOUND');
      await expectCode(admin.admin.users.disable({ id: target.id }), 'NOT_FOUND');
      await expectCode(
        admin.admin.users.resetPassword({ id: target.id, password: 'taken over password' }),
        'NOT_FOUND',
      );
      // Same answer as an id that exists nowhere: ids cannot be probed.
      const missing = await caught(
        admin.admin.users.disable({ id: '00000000-0000-4000-8000-000000000000' }),
      );
      const foreign = await caught(admin.admin.users.disable({ id: target.id }));
      expect(foreign).toEqual(missing);

      const after = await h.test.db
        .selectFrom('users')
        .selectAll()
        .where('id', '=', target.id)
        .executeTakeFirst();
      expect(after).toEqual(before);
      const bAudit = await h.test.db
        .selectFrom('audit_events')
        .select('action')
        .where('org_id', '=', orgB.orgId)
        .where('action', 'in', ['USER_UPDATED', 'USER_DISABLED', 'PASSWORD_RESET'])
        .execute();
      expect(bAudit).toEqual([]);
    });

    it('a user created by admin A lands in org A whatever the e-mail says', async () => {
      const admin = h.caller((await h.sessionFor(fx.org.users.admin)).session);
      const created = await admin.admin.users.create({
        email: 'office@b.test',
        name: 'Same e-mail as a B user',
        role: 'office',
        password: 'a long enough password',
      });
      const row = await h.test.db
        .selectFrom('users')
        .select('org_id')
        .where('id', '=', created.id)
        .executeTakeFirst();
      expect(row?.org_id).toBe(fx.org.orgId);
    });
  });

  describe('bad input', () => {
    const BAD: {
      path: string;
      call: (c: ReturnType<Harness['caller']>) => Promise<unknown>;
      field: string;
    }[] = [
      {
        path: 'auth.login',
        field: 'email',
        call: (c) => c.auth.login({ email: 'not-an-email', password: 'x' }),
      },
      {
        path: 'auth.login',
        field: 'password',
        call: (c) => c.auth.login({ email: 'a@a.test', password: '' }),
      },
      {
        path: 'auth.login',
        field: 'password',
        call: (c) => c.auth.login({ email: 'a@a.test', password: 'x'.repeat(2000) }),
      },
      {
        path: 'auth.login',
        field: 'deviceLabel',
        call: (c) => c.auth.login({ email: 'a@a.test', password: 'x', deviceLabel: '' }),
      },
      {
        path: 'admin.users.list',
        field: 'includeDisabled',
        call: (c) => c.admin.users.list({ includeDisabled: 'yes' as unknown as boolean }),
      },
      {
        path: 'admin.users.create',
        field: 'email',
        call: (c) =>
          c.admin.users.create({
            email: 'nope',
            name: 'N',
            role: 'field',
            password: 'a long enough password',
          }),
      },
      {
        path: 'admin.users.create',
        field: 'role',
        call: (c) =>
          c.admin.users.create({
            email: 'r@a.test',
            name: 'N',
            role: 'root' as Role,
            password: 'a long enough password',
          }),
      },
      {
        path: 'admin.users.create',
        field: 'password',
        call: (c) =>
          c.admin.users.create({ email: 'p@a.test', name: 'N', role: 'field', password: 'short' }),
      },
      {
        path: 'admin.users.create',
        field: 'name',
        call: (c) =>
          c.admin.users.create({
            email: 'n@a.test',
            name: '  ',
            role: 'field',
            password: 'a long enough password',
          }),
      },
      {
        path: 'admin.users.update',
        field: 'id',
        call: (c) => c.admin.users.update({ id: 'not-a-uuid', name: 'X' }),
      },
      {
        path: 'admin.users.update',
        field: 'role',
        call: (c) => c.admin.users.update({ id: fx.org.users.field.id, role: 'superuser' as Role }),
      },
      {
        path: 'admin.users.disable',
        field: 'id',
        call: (c) => c.admin.users.disable({ id: '42' }),
      },
      {
        path: 'admin.users.resetPassword',
        field: 'password',
        call: (c) => c.admin.users.resetPassword({ id: fx.org.users.field.id, password: 'short' }),
      },
      {
        path: 'admin.users.resetPassword',
        field: 'id',
        call: (c) => c.admin.users.resetPassword({ id: 'X' }),
      },
      { path: 'audit.list', field: 'limit', call: (c) => c.audit.list({ limit: 101 }) },
      { path: 'audit.list', field: 'cursor', call: (c) => c.audit.list({ cursor: 'page-2' }) },
      {
        path: 'audit.list',
        field: 'filters.userId',
        call: (c) => c.audit.list({ filters: { userId: 'me' } }),
      },
      {
        path: 'audit.list',
        field: 'filters.action',
        call: (c) => c.audit.list({ filters: { action: 'EVERYTHING' as 'LOGIN' } }),
      },
      { path: 'files.list', field: 'limit', call: (c) => c.files.list({ limit: 0 }) },
      { path: 'files.list', field: 'cursor', call: (c) => c.files.list({ cursor: 'next' }) },
      {
        path: 'files.list',
        field: 'filters.system',
        call: (c) => c.files.list({ filters: { system: 'payroll' as 'accounting' } }),
      },
      {
        path: 'files.list',
        field: 'filters.to',
        call: (c) =>
          c.files.list({
            filters: { from: '2026-02-01T00:00:00.000Z', to: '2026-01-01T00:00:00.000Z' },
          }),
      },
      {
        path: 'files.list',
        field: 'filters.text',
        call: (c) => c.files.list({ filters: { text: 'x'.repeat(201) } }),
      },
      { path: 'files.get', field: 'id', call: (c) => c.files.get({ id: 'file-1' }) },
      {
        path: 'files.downloadUrl',
        field: 'expiresIn',
        call: (c) => c.files.downloadUrl({ id: fx.org.users.field.id, expiresIn: 901 }),
      },
      {
        path: 'files.downloadUrl',
        field: 'disposition',
        call: (c) =>
          c.files.downloadUrl({ id: fx.org.users.field.id, disposition: 'open' as 'inline' }),
      },
      { path: 'files.delete', field: 'id', call: (c) => c.files.delete({ id: '' }) },
      {
        path: 'files.delete',
        field: 'reason',
        call: (c) => c.files.delete({ id: fx.org.users.field.id, reason: 'r'.repeat(501) }),
      },
      { path: 'files.restore', field: 'id', call: (c) => c.files.restore({ id: 'NOPE' }) },
      { path: 'files.purge', field: 'id', call: (c) => c.files.purge({ id: 'x' }) },
      { path: 'audit.verify', field: 'from', call: (c) => c.audit.verify({ from: 'yesterday' }) },
      {
        path: 'audit.verify',
        field: 'to',
        call: (c) =>
          c.audit.verify({ from: '2026-02-01T00:00:00.000Z', to: '2026-01-01T00:00:00.000Z' }),
      },
      ...UPLOAD_BAD_CASES,
      ...FILES_BAD_CASES,
      ...ADMIN_OPS_BAD_CASES,
      ...JOBS_BAD_CASES,
    ];

    it('covers every procedure that takes input', () => {
      const withInput = ACCESS_TABLE.map((c) => c.path).filter(
        (p) => !['auth.logout', 'auth.me', ...ADMIN_OPS_WITHOUT_INPUT].includes(p),
      );
      expect([...new Set(BAD.map((b) => b.path))].sort()).toEqual(withInput.sort());
    });

    it.each(BAD)(
      '$path refuses bad $field with BAD_INPUT naming it, writing nothing',
      async ({ call, field }) => {
        const admin = h.caller((await h.sessionFor(fx.org.users.admin)).session);
        const count = async () => {
          const [users, audit, sessions, throttle] = await Promise.all(
            (['users', 'audit_events', 'sessions', 'login_throttle'] as const).map((t) =>
              h.test.db
                .selectFrom(t)
                .select((eb) => eb.fn.countAll<number>().as('n'))
                .executeTakeFirstOrThrow(),
            ),
          );
          return [users, audit, sessions, throttle].map((r) => Number(r?.n));
        };
        const before = await count();
        const error = await expectCode(call(admin), 'BAD_INPUT');
        expect(error.message).toContain(field);
        expect(Object.keys(error.data.fieldErrors ?? {})).toContain(field);
        expect(await count()).toEqual(before);
      },
    );
  });
});
