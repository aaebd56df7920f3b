// ACCESS_DENIED: each refused security-relevant request over HTTP writes exactly one audit row (or, with no org, none), behind a flood guard.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashSessionToken } from '../auth/session-token.js';
import { createHostileKit, type HostileKit } from '../hostile/hostile.kit.js';
import { changes } from '../hostile/snapshot.js';
import { DB_KINDS } from '../test/db.js';
import { DENIAL_GUARD_MAX_KEYS, DENIAL_WINDOW_MS, DenialGuard } from './access-denied.js';
import { findChainBreak } from './audit.chain.js';

describe('DenialGuard', () => {
  it('admits one event per (ip, reason) per window', () => {
    let now = 0;
    const guard = new DenialGuard(() => new Date(now));
    expect(guard.admit('10.0.0.1', 'role')).toBe(true);
    expect(guard.admit('10.0.0.1', 'role')).toBe(false);
    expect(guard.admit('10.0.0.1', 'cross_site')).toBe(true);
    expect(guard.admit('10.0.0.2', 'role')).toBe(true);
    now = DENIAL_WINDOW_MS - 1;
    expect(guard.admit('10.0.0.1', 'role')).toBe(false);
    now = DENIAL_WINDOW_MS;
    expect(guard.admit('10.0.0.1', 'role')).toBe(true);
    expect(guard.suppressed).toBe(2);
  });

  it('holds a bounded number of keys: past the bound new keys are suppressed until old ones expire', () => {
    let now = 0;
    const guard = new DenialGuard(() => new Date(now));
    for (let i = 0; i < DENIAL_GUARD_MAX_KEYS; i++) guard.admit(`ip-${i}`, 'session_unknown');
    expect(guard.admit('one more', 'session_unknown')).toBe(false);
    now = DENIAL_WINDOW_MS;
    expect(guard.admit('one more', 'session_unknown')).toBe(true);
  });
});

describe.each(DB_KINDS)('ACCESS_DENIED over HTTP on %s', (kind) => {
  let kit: HostileKit;
  beforeAll(async () => {
    kit = await createHostileKit(kind);
  });
  afterAll(async () => {
    await kit.destroy();
  });

  const denials = () =>
    kit.h.test.db
      .selectFrom('audit_events')
      .selectAll()
      .where('action', '=', 'ACCESS_DENIED')
      .orderBy('org_id')
      .orderBy('seq')
      .execute();
  /** Run `refuse` and return the ACCESS_DENIED rows it added, checking nothing else was written. */
  async function deniedBy(refuse: () => Promise<void>) {
    const seen = new Set((await denials()).map((r) => r.id));
    const before = await kit.snapshot();
    await refuse();
    const added = (await denials()).filter((r) => !seen.has(r.id));
    const audit = added.length > 0 ? ['audit_chain_heads', 'audit_events'] : [];
    expect(changes(before, await kit.snapshot())).toEqual(audit);
    return added;
  }
  const expectChainsHold = async () => {
    for (const org of [kit.orgA, kit.orgB]) {
      const chain = await kit.h.test.db
        .selectFrom('audit_events')
        .selectAll()
        .where('org_id', '=', org.orgId)
        .orderBy('seq')
        .execute();
      expect(findChainBreak(chain)).toBeNull();
    }
  };
  const usersList = (cookie: string) => kit.call('admin.users.list', { type: 'query', cookie });
  /** A session cookie of org A's `who`, its row changed by `patch` (expired, revoked). */
  async function staleCookie(patch: { expires_at?: Date; revoked_at?: Date }) {
    const cookie = await kit.cookieFor('office');
    await kit.h.test.db
      .updateTable('sessions')
      .set(patch)
      .where('token_hash', '=', hashSessionToken(cookie.slice('fv_session='.length)))
      .execute();
    return cookie;
  }

  it('a cross-site POST of a signed-in user: one row naming them, the path and the CSRF reason', async () => {
    const cookie = await kit.cookieFor('field');
    const rows = await deniedBy(async () => {
      const answer = await kit.call('auth.logout', {
        type: 'mutation',
        cookie,
        headers: { origin: 'https://evil.example' },
      });
      expect([answer.status, answer.error?.data.errorCode]).toEqual([403, 'FORBIDDEN']);
    });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      org_id: kit.orgA.orgId,
      actor_user_id: kit.orgA.users.field.id,
      actor_role: 'field',
      ip: '127.0.0.1',
      success: false,
      error_code: 'FORBIDDEN',
      details: {
        reason: 'cross_site',
        path: 'auth.logout',
        detail: 'foreign Origin https://evil.example',
      },
    });
  });

  it('a wrong-role call (field user on an admin procedure): one row with the roles involved', async () => {
    const cookie = await kit.cookieFor('field');
    const rows = await deniedBy(async () => {
      expect((await usersList(cookie)).status).toBe(403);
    });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      org_id: kit.orgA.orgId,
      actor_user_id: kit.orgA.users.field.id,
      actor_role: 'field',
      ip: '127.0.0.1',
      error_code: 'FORBIDDEN',
      details: { reason: 'role', path: 'admin.users.list', detail: 'role field; requires admin' },
    });
  });

  it.each([
    ['expired', { expires_at: new Date(0) }, 'session_expired'],
    ['signed-out', { revoked_at: new Date() }, 'session_revoked'],
  ] as const)('an %s session cookie: one row in its user org', async (_name, patch, reason) => {
    const cookie = await staleCookie(patch);
    const rows = await deniedBy(async () => {
      expect((await kit.call('auth.me', { type: 'query', cookie })).status).toBe(401);
    });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      org_id: kit.orgA.orgId,
      actor_user_id: kit.orgA.users.office.id,
      actor_role: 'office',
      ip: '127.0.0.1',
      error_code: 'UNAUTHENTICATED',
      details: { reason, path: '/trpc/auth.me' },
    });
  });

  it('the plain HTTP export routes share the recorder and its guard', async () => {
    const cookie = await kit.cookieFor('field', kit.orgB);
    const get = (headers: Record<string, string> = {}) =>
      fetch(`${kit.base}/api/audit/export.csv`, { headers: { cookie, ...headers } });
    kit.h.clock.advance(DENIAL_WINDOW_MS);
    const rows = await deniedBy(async () => {
      expect((await get()).status).toBe(403);
      expect((await get({ 'sec-fetch-site': 'cross-site' })).status).toBe(403);
      expect((await get()).status).toBe(403);
    });
    expect(rows.map((r) => [r.org_id, r.actor_user_id, r.details])).toEqual([
      [
        kit.orgB.orgId,
        kit.orgB.users.field.id,
        {
          reason: 'role',
          path: '/api/audit/export.csv',
          detail: 'role field; requires admin or auditor',
        },
      ],
      [
        kit.orgB.orgId,
        kit.orgB.users.field.id,
        {
          reason: 'cross_site',
          path: '/api/audit/export.csv',
          detail: 'cross-site request (Sec-Fetch-Site: cross-site)',
        },
      ],
    ]);
  });

  it('a forged cookie names no org: nothing is written (it is logged instead)', async () => {
    const cookie = `fv_session=${randomBytes(32).toString('base64url')}`;
    const rows = await deniedBy(async () => {
      expect((await kit.call('auth.me', { type: 'query', cookie })).status).toBe(401);
    });
    expect(rows).toEqual([]);
  });

  it('a cross-site POST without a session names no org: nothing is written', async () => {
    const rows = await deniedBy(async () => {
      const answer = await kit.call('auth.logout', { type: 'mutation', omitCsrf: true });
      expect(answer.status).toBe(403);
    });
    expect(rows).toEqual([]);
  });

  it('flood guard: 30 refusals in a minute write one row; the next minute writes one more', async () => {
    const cookie = await kit.cookieFor('auditor');
    kit.h.clock.advance(DENIAL_WINDOW_MS);
    const burst = await deniedBy(async () => {
      for (let i = 0; i < 30; i++) expect((await usersList(cookie)).status).toBe(403);
    });
    expect(burst.map((r) => r.details)).toEqual([
      { reason: 'role', path: 'admin.users.list', detail: 'role auditor; requires admin' },
    ]);
    const quiet = await deniedBy(async () => {
      expect((await usersList(cookie)).status).toBe(403);
    });
    expect(quiet).toEqual([]);
    kit.h.clock.advance(DENIAL_WINDOW_MS);
    const later = await deniedBy(async () => {
      expect((await usersList(cookie)).status).toBe(403);
    });
    expect(later).toHaveLength(1);
    await expectChainsHold();
  });
});
