// Hostile HTTP: forged, expired and revoked session cookies, cross-site POSTs on every mutation, oversized bodies — refused clearly, nothing written but the ACCESS_DENIED audit row.
import { randomBytes } from 'node:crypto';
import { CSRF_HEADER, TRPC_PATH } from '@fieldvault/shared/http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashSessionToken } from '../auth/session-token.js';
import { DB_KINDS } from '../test/db.js';
import { createHostileKit, readAnswer, type HostileKit } from './hostile.kit.js';
import { procedures, seedFixture, type Fixture } from './procedures.js';
import { changes } from './snapshot.js';

const token = () => randomBytes(32).toString('base64url');

/** Cookies that must never authenticate; `real` is a live session token of org A's admin. */
function forgedCookies(real: string): [string, string][] {
  const flipped = `${real.slice(0, -1)}${real.endsWith('A') ? 'B' : 'A'}`;
  return [
    ['random well-formed token', `fv_session=${token()}`],
    ['real token, one character changed', `fv_session=${flipped}`],
    ['real token, truncated', `fv_session=${real.slice(0, 42)}`],
    ['real token plus a character', `fv_session=${real}A`],
    ['empty', 'fv_session='],
    ['SQL', `fv_session=${encodeURIComponent("' or '1'='1")}`],
    ['8 KiB', `fv_session=${'A'.repeat(8192)}`],
    ['NUL inside', `fv_session=${real.slice(0, 20)}%00${real.slice(20)}`],
    ['a forged one first, the real one second', `fv_session=${token()}; fv_session=${real}`],
  ];
}

/** Headers of a cross-site POST, each of which must be refused on every mutation. */
const CROSS_SITE: [string, { headers?: Record<string, string>; omitCsrf?: boolean }][] = [
  ['no CSRF header', { omitCsrf: true }],
  ['CSRF header 0', { headers: { [CSRF_HEADER]: '0' } }],
  ['foreign Origin', { headers: { origin: 'https://evil.example' } }],
  ['Origin null (sandboxed frame)', { headers: { origin: 'null' } }],
  ['same host, other port', { headers: { origin: 'http://127.0.0.1:1' } }],
  ['Sec-Fetch-Site cross-site', { headers: { 'sec-fetch-site': 'cross-site' } }],
  ['Sec-Fetch-Site same-site', { headers: { 'sec-fetch-site': 'same-site' } }],
  [
    'a simple form POST (text/plain)',
    { omitCsrf: true, headers: { 'content-type': 'text/plain' } },
  ],
];

describe.each(DB_KINDS)('hostile HTTP on %s', (kind) => {
  let kit: HostileKit;
  let fx: Fixture;
  let admin: string;
  beforeAll(async () => {
    kit = await createHostileKit(kind);
    fx = await seedFixture(kit, kit.orgA);
    admin = await kit.cookieFor('admin');
  });
  afterAll(async () => {
    await kit.destroy();
  });

  /** A mutation that would delete a file if the session were accepted. */
  const deleteFile = (cookie: string) =>
    kit.call('files.delete', {
      type: 'mutation',
      cookie,
      wire: JSON.stringify({ id: fx.verifiedFileId }),
    });

  const denials = () =>
    kit.h.test.db
      .selectFrom('audit_events')
      .selectAll()
      .where('action', '=', 'ACCESS_DENIED')
      .execute();

  /**
   * Snapshot, act, and return the ACCESS_DENIED rows the act added; the database and storage must
   * otherwise be exactly as they were (the audit chain moves only when such a row was added).
   */
  async function onlyDenials(act: () => Promise<void>) {
    const seen = new Set((await denials()).map((r) => r.id));
    const before = await kit.snapshot();
    await act();
    const added = (await denials()).filter((r) => !seen.has(r.id));
    const audit = added.length > 0 ? ['audit_chain_heads', 'audit_events'] : [];
    expect(changes(before, await kit.snapshot())).toEqual(audit);
    return added;
  }

  /**
   * The cookie is refused on a query and a mutation: 401, nothing written but — when the session row
   * still names its user (`audited`) — one ACCESS_DENIED row in that user's org for both requests
   * (the flood guard keeps the second). A forged cookie names no org: nothing at all.
   */
  async function expectRefusedCookie(
    cookie: string,
    audited: { reason: string; userId: string } | null = null,
  ): Promise<void> {
    const added = await onlyDenials(async () => {
      const me = await kit.call('auth.me', { type: 'query', cookie });
      expect([me.status, me.error?.data.errorCode], me.text).toEqual([401, 'UNAUTHENTICATED']);
      const del = await deleteFile(cookie);
      expect([del.status, del.error?.data.errorCode], del.text).toEqual([401, 'UNAUTHENTICATED']);
    });
    const expected = audited
      ? [{ reason: audited.reason, actor: audited.userId, code: 'UNAUTHENTICATED', ok: false }]
      : [];
    expect(
      added.map((r) => ({
        reason: (r.details as { reason?: unknown }).reason,
        actor: r.actor_user_id,
        code: r.error_code,
        ok: r.success,
      })),
    ).toEqual(expected);
  }

  it.each([0, 1, 2, 3, 4, 5, 6, 7, 8])('forged session cookie #%i is refused', async (i) => {
    const real = admin.slice('fv_session='.length);
    const [, cookie] = forgedCookies(real)[i] ?? ['', ''];
    await expectRefusedCookie(cookie);
  });

  it('an expired session is refused, audited as ACCESS_DENIED, and its cookie cleared', async () => {
    const cookie = await kit.cookieFor('office');
    await kit.h.test.db
      .updateTable('sessions')
      .set({ expires_at: new Date(kit.h.clock.now().getTime() - 1000) })
      .where('token_hash', '=', hashSessionToken(cookie.slice('fv_session='.length)))
      .execute();
    const userId = kit.orgA.users.office.id;
    await expectRefusedCookie(cookie, { reason: 'session_expired', userId });
    const res = await fetch(`${kit.base}${TRPC_PATH}/auth.me`, { headers: { cookie } });
    expect(res.status).toBe(401);
    expect(res.headers.get('set-cookie') ?? '').toMatch(/^fv_session=;/);
  });

  it('a signed-out session is refused and audited as ACCESS_DENIED', async () => {
    const cookie = await kit.cookieFor('office');
    const out = await kit.call('auth.logout', { type: 'mutation', cookie });
    expect(out.status).toBe(200);
    const userId = kit.orgA.users.office.id;
    await expectRefusedCookie(cookie, { reason: 'session_revoked', userId });
  });

  it('a refused sign-in is the one refusal audited: LOGIN_FAILED for a known account, throttle only for an unknown one', async () => {
    const login = (email: string) =>
      kit.call('auth.login', {
        type: 'mutation',
        wire: JSON.stringify({ email, password: 'not the password', deviceLabel: 'attacker' }),
      });
    const before = await kit.snapshot();
    const known = await login(kit.orgA.users.auditor.email);
    expect([known.status, known.error?.data.errorCode]).toEqual([401, 'UNAUTHENTICATED']);
    const rows = await kit.h.test.db
      .selectFrom('audit_events')
      .select(['action', 'success', 'error_code', 'actor_user_id', 'ip', 'device_label'])
      .where('action', '=', 'LOGIN_FAILED')
      .where('actor_user_id', '=', kit.orgA.users.auditor.id)
      .execute();
    expect(rows).toEqual([
      {
        action: 'LOGIN_FAILED',
        success: false,
        error_code: 'UNAUTHENTICATED',
        actor_user_id: kit.orgA.users.auditor.id,
        ip: '127.0.0.1',
        device_label: 'attacker',
      },
    ]);
    expect(changes(before, await kit.snapshot())).toEqual([
      'audit_chain_heads',
      'audit_events',
      'login_throttle',
    ]);
    const mid = await kit.snapshot();
    const unknown = await login('nobody@nowhere.test');
    expect(unknown.error?.message).toBe(known.error?.message);
    expect(changes(mid, await kit.snapshot())).toEqual(['login_throttle']);
  });

  const mutations = procedures().filter((p) => p.type === 'mutation');
  const crossSite = mutations.flatMap((p) =>
    CROSS_SITE.map(([name, request]) => ({ p, name, request, label: `${p.path}: ${name}` })),
  );
  it.each(crossSite)(
    'cross-site POST $label → 403, nothing written but (at most) its ACCESS_DENIED row',
    async ({ p, request }) => {
      const wire = JSON.stringify(p.valid(fx));
      let answer = readAnswer(0, '');
      const added = await onlyDenials(async () => {
        answer = await kit.call(p.path, { type: 'mutation', wire, cookie: admin, ...request });
      });
      const context = `${answer.status} ${answer.text.slice(0, 300)}`;
      // A text/plain body is not JSON to tRPC: refused as such (415) before the CSRF check, never run.
      const plain = request.headers?.['content-type'] === 'text/plain';
      const expected = plain ? [415, 'BAD_INPUT'] : [403, 'FORBIDDEN'];
      expect([answer.status, answer.error?.data.errorCode], context).toEqual(expected);
      // The first refusal of the minute from this address is audited; the flood guard keeps the rest.
      expect(added.length, context).toBeLessThanOrEqual(plain ? 0 : 1);
      for (const row of added) {
        expect(row, context).toMatchObject({
          actor_user_id: kit.orgA.users.admin.id,
          error_code: 'FORBIDDEN',
          details: { reason: 'cross_site', path: p.path },
        });
      }
    },
  );

  it('cross-site POSTs were audited: exactly one ACCESS_DENIED row in the minute, naming the admin', async () => {
    const rows = (await denials()).filter(
      (r) => (r.details as { reason?: unknown }).reason === 'cross_site',
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ ip: '127.0.0.1', actor_role: 'admin', success: false });
  });

  describe('oversized bodies', () => {
    const post = async (body: string, path = 'uploads.begin') => {
      const res = await fetch(`${kit.base}${TRPC_PATH}/${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', [CSRF_HEADER]: '1', cookie: admin },
        body,
      });
      return readAnswer(res.status, await res.text());
    };
    const sizes: [string, number][] = [
      ['1 MiB + 1 byte', 1024 * 1024 + 1],
      ['16 MiB', 16 * 1024 * 1024],
    ];
    it.each(sizes)('a JSON body of %s → 413, nothing written', async (_name, size) => {
      const before = await kit.snapshot();
      const filler = 'x'.repeat(size);
      const answer = await post(JSON.stringify({ filename: filler }));
      expect(answer.status, answer.text.slice(0, 300)).toBe(413);
      expect(answer.text).toMatch(/too large/i);
      expect(changes(before, await kit.snapshot())).toEqual([]);
    });

    it('a batch of 300 refused mutations in one body answers each, never a 500, writing nothing', async () => {
      const before = await kit.snapshot();
      // A deleted file has no download URL: each call is a CONFLICT that writes nothing.
      const one = JSON.stringify({ id: fx.deletedFileId });
      const batch = `{${Array.from({ length: 300 }, (_, i) => `"${i}":${one}`).join(',')}}`;
      const paths = Array.from({ length: 300 }, () => 'files.downloadUrl').join(',');
      const answer = await post(batch, `${paths}?batch=1`);
      expect(answer.status, answer.text.slice(0, 300)).toBeLessThan(500);
      expect(changes(before, await kit.snapshot())).toEqual([]);
    });

    it('a query input beyond the URL limit → 431, nothing written', async () => {
      const before = await kit.snapshot();
      const input = JSON.stringify({ filters: { text: 'x'.repeat(64 * 1024) } });
      const answer = await kit.call('files.list', { type: 'query', wire: input, cookie: admin });
      expect(answer.status).toBe(431);
      expect(changes(before, await kit.snapshot())).toEqual([]);
    });
  });
});
