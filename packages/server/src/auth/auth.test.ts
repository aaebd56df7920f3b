// Sign-in, sessions and throttling through createCaller, against PGlite and PostgreSQL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveSession } from './auth.service.js';
import { SESSION_RENEW_AFTER_MS, SESSION_TTL_MS } from './session-token.js';
import { ACCOUNT_POLICY, IP_POLICY } from './throttle.js';
import { DB_KINDS } from '../test/db.js';
import { expectCode } from '../test/expect-error.js';
import { createHarness, TEST_PASSWORD, type Harness } from '../test/harness.js';
import type { CookieJar } from '../trpc/context.js';

const DAY = 24 * 60 * 60 * 1000;

/** A cookie jar that remembers the last token set. */
function recordingJar(): CookieJar & {
  token: string | null;
  expiresAt: Date | null;
  cleared: number;
} {
  const jar = {
    token: null as string | null,
    expiresAt: null as Date | null,
    cleared: 0,
    setSession(token: string, expiresAt: Date) {
      jar.token = token;
      jar.expiresAt = expiresAt;
    },
    clearSession() {
      jar.cleared++;
      jar.token = null;
    },
  };
  return jar;
}

describe.each(DB_KINDS)('auth on %s', (kind) => {
  let h: Harness;
  let org: Awaited<ReturnType<Harness['seedOrg']>>;

  beforeAll(async () => {
    h = await createHarness(kind);
    org = await h.seedOrg('acme');
  });
  afterAll(async () => {
    await h.destroy();
  });

  async function loginAs(email: string, password = TEST_PASSWORD, ip = '198.51.100.1') {
    const jar = recordingJar();
    const me = await h
      .caller(null, { cookies: jar, meta: { ip, userAgent: 'test' } })
      .auth.login({ email, password });
    return { me, jar };
  }

  it('logs in (case-insensitive e-mail), sets a 30-day cookie and audits LOGIN', async () => {
    const { me, jar } = await loginAs('OFFICE@Acme.test');
    expect(me).toMatchObject({
      email: 'office@acme.test',
      role: 'office',
      orgId: org.orgId,
      orgName: 'Org acme',
    });
    expect(jar.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(jar.expiresAt?.getTime()).toBe(h.clock.now().getTime() + SESSION_TTL_MS);
    // Only the hash is stored.
    const stored = await h.test.db.selectFrom('sessions').select('token_hash').execute();
    expect(stored.map((s) => s.token_hash)).not.toContain(jar.token);
    const audit = await h.test.db
      .selectFrom('audit_events')
      .selectAll()
      .where('org_id', '=', org.orgId)
      .where('action', '=', 'LOGIN')
      .execute();
    expect(audit.at(-1)).toMatchObject({
      actor_user_id: org.users.office.id,
      actor_role: 'office',
      success: true,
      ip: '198.51.100.1',
    });
  });

  it('answers auth.me for the session and UNAUTHENTICATED without one', async () => {
    const { jar } = await loginAs('field@acme.test');
    const resolved = await resolveSession(h.deps, jar.token ?? '');
    expect(resolved).not.toBeNull();
    const me = await h.caller(resolved?.session).auth.me();
    expect(me).toMatchObject({ email: 'field@acme.test', role: 'field', orgId: org.orgId });
    await expectCode(h.caller(null).auth.me(), 'UNAUTHENTICATED');
  });

  it('logs out: the session stops working and the cookie is cleared', async () => {
    const { jar } = await loginAs('auditor@acme.test');
    const token = jar.token ?? '';
    const resolved = await resolveSession(h.deps, token);
    await h.caller(resolved?.session, { cookies: jar }).auth.logout();
    expect(jar.cleared).toBe(1);
    expect(await resolveSession(h.deps, token)).toBeNull();
    const audit = await h.test.db
      .selectFrom('audit_events')
      .select('action')
      .where('action', '=', 'LOGOUT')
      .execute();
    expect(audit.length).toBeGreaterThan(0);
  });

  it('refuses a wrong password and an unknown e-mail with the same answer, auditing the known account', async () => {
    const wrong = await expectCode(
      loginAs('admin@acme.test', 'not the password', '198.51.100.2'),
      'UNAUTHENTICATED',
    );
    const unknown = await expectCode(
      loginAs('nobody@acme.test', 'whatever', '198.51.100.2'),
      'UNAUTHENTICATED',
    );
    expect(wrong.message).toBe(unknown.message);
    const failed = await h.test.db
      .selectFrom('audit_events')
      .selectAll()
      .where('action', '=', 'LOGIN_FAILED')
      .where('actor_user_id', '=', org.users.admin.id)
      .execute();
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ success: false, error_code: 'UNAUTHENTICATED' });
    expect(JSON.stringify(failed[0]?.details)).not.toContain('not the password');
  });

  it('refuses disabled users and ends their sessions', async () => {
    const other = await h.seedOrg('disabled');
    const { jar } = await loginAs(other.users.field.email);
    await h.test.db
      .updateTable('users')
      .set({ disabled: true })
      .where('id', '=', other.users.field.id)
      .execute();
    expect(await resolveSession(h.deps, jar.token ?? '')).toBeNull();
    await expectCode(loginAs(other.users.field.email), 'UNAUTHENTICATED');
  });

  it('expires sessions after 30 idle days and slides the expiry while used', async () => {
    const { jar } = await loginAs('office@acme.test');
    const token = jar.token ?? '';
    const first = await resolveSession(h.deps, token);
    expect(first?.renewedUntil).toBeNull();

    // Used again after 20 days: renewed to 30 days from now.
    h.clock.advance(20 * DAY);
    const renewed = await resolveSession(h.deps, token);
    expect(renewed?.renewedUntil?.getTime()).toBe(h.clock.now().getTime() + SESSION_TTL_MS);
    // Within the hour: no write, same expiry.
    h.clock.advance(SESSION_RENEW_AFTER_MS / 2);
    expect((await resolveSession(h.deps, token))?.renewedUntil).toBeNull();

    // 25 more days (45 after login): still alive thanks to the renewal.
    h.clock.advance(25 * DAY);
    expect(await resolveSession(h.deps, token)).not.toBeNull();
    // Idle for 30 days: gone.
    h.clock.advance(30 * DAY + 1);
    expect(await resolveSession(h.deps, token)).toBeNull();
    expect(await resolveSession(h.deps, 'garbage')).toBeNull();
  });

  it('throttles failed logins per account with growing delays, and never locks the owner out', async () => {
    const victim = (await h.seedOrg('throttle')).users.office;
    // Each guess from a different IP: only the account counter grows.
    const guess = (i: number) => loginAs(victim.email, 'wrong password', `192.0.2.${i}`);
    for (let i = 0; i < ACCOUNT_POLICY.free; i++) await expectCode(guess(i), 'UNAUTHENTICATED');

    const delays: number[] = [];
    for (let i = 0; i < 4; i++) {
      // The failure that crosses the threshold is still checked (and counted)…
      await expectCode(guess(100 + i), 'UNAUTHENTICATED');
      // …then everything waits, even the right password.
      const limited = await expectCode(
        loginAs(victim.email, TEST_PASSWORD, '192.0.2.200'),
        'RATE_LIMITED',
      );
      const retryAfter = (limited.data.details as { retryAfterSeconds: number }).retryAfterSeconds;
      delays.push(retryAfter);
      h.clock.advance(retryAfter * 1000);
    }
    expect(delays).toEqual([1, 2, 4, 8]);

    // After the delay the owner's right password works, and resets the account counter.
    const { me } = await loginAs(victim.email, TEST_PASSWORD, '192.0.2.201');
    expect(me.id).toBe(victim.id);
    await expectCode(guess(250), 'UNAUTHENTICATED');
    expect((await loginAs(victim.email)).me.id).toBe(victim.id);
  });

  it('caps the account delay so a stranger cannot lock the owner out', async () => {
    const victim = (await h.seedOrg('cap')).users.field;
    for (let i = 0; i < ACCOUNT_POLICY.free + 20; i++) {
      await loginAs(victim.email, 'wrong', `203.0.113.${i % 250}`).catch(() => undefined);
      h.clock.advance(ACCOUNT_POLICY.maxDelaySeconds * 1000);
    }
    await loginAs(victim.email, 'wrong', '203.0.113.251').catch(() => undefined);
    const limited = await expectCode(loginAs(victim.email), 'RATE_LIMITED');
    expect(
      (limited.data.details as { retryAfterSeconds: number }).retryAfterSeconds,
    ).toBeLessThanOrEqual(ACCOUNT_POLICY.maxDelaySeconds);
    h.clock.advance(ACCOUNT_POLICY.maxDelaySeconds * 1000);
    expect((await loginAs(victim.email)).me.id).toBe(victim.id);
  });

  it('throttles one IP guessing across many accounts', async () => {
    const ip = '198.51.100.99';
    for (let i = 0; i < IP_POLICY.free; i++) {
      await expectCode(loginAs(`user${i}@nowhere.test`, 'guess', ip), 'UNAUTHENTICATED');
    }
    await expectCode(loginAs('another@nowhere.test', 'guess', ip), 'UNAUTHENTICATED');
    // Even a valid login from that IP waits; from another IP it works.
    await expectCode(loginAs('office@acme.test', TEST_PASSWORD, ip), 'RATE_LIMITED');
    expect((await loginAs('office@acme.test', TEST_PASSWORD, '198.51.100.100')).me.role).toBe(
      'office',
    );
    h.clock.advance(1000);
    expect((await loginAs('office@acme.test', TEST_PASSWORD, ip)).me.role).toBe('office');
  });
});
