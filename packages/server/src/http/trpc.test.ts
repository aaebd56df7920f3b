// tRPC over real HTTP: the session cookie, CSRF refusal, batching, plain-JSON errors, /readyz and /metrics.
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../db/database.js';
import { createMetrics } from '../metrics.js';
import { DB_KINDS } from '../test/db.js';
import { createHarness, TEST_PASSWORD, type Harness } from '../test/harness.js';
import { buildApp } from './app.js';

const CSRF = { 'x-fieldvault-csrf': '1' };
const JSON_TYPE = { 'content-type': 'application/json' };

interface ErrorJson {
  error: {
    message: string;
    data: { errorCode: string; zodError: { fieldErrors: Record<string, string[]> } };
  };
}

describe.each(DB_KINDS)('HTTP on %s', (kind) => {
  let h: Harness;
  let app: FastifyInstance;
  let org: Awaited<ReturnType<Harness['seedOrg']>>;

  beforeAll(async () => {
    h = await createHarness(kind);
    org = await h.seedOrg('web');
    app = await h.http();
  });
  afterAll(async () => {
    await h.destroy();
  });

  async function login(headers: Record<string, string> = {}) {
    return app.inject({
      method: 'POST',
      url: '/trpc/auth.login',
      headers: { 'content-type': 'application/json', host: '127.0.0.1:8080', ...CSRF, ...headers },
      payload: {
        email: org.users.office.email,
        password: TEST_PASSWORD,
        deviceLabel: 'Anna phone',
      },
    });
  }

  function sessionCookie(res: Awaited<ReturnType<typeof login>>): string {
    const cookie = res.cookies.find((c) => c.name === 'fv_session');
    expect(cookie).toBeDefined();
    return `fv_session=${cookie?.value ?? ''}`;
  }

  it('login sets an HttpOnly, SameSite=Lax, Path=/ cookie, not Secure on localhost; auth.me reads it', async () => {
    const res = await login();
    expect(res.statusCode).toBe(200);
    const raw = String(res.headers['set-cookie']);
    expect(raw).toMatch(/fv_session=[A-Za-z0-9_-]{43}/);
    expect(raw).toContain('HttpOnly');
    expect(raw).toContain('SameSite=Lax');
    expect(raw).toContain('Path=/');
    expect(raw).not.toContain('Secure');
    expect(res.json()).toMatchObject({
      result: { data: { email: org.users.office.email, deviceLabel: 'Anna phone' } },
    });

    const me = await app.inject({ url: '/trpc/auth.me', headers: { cookie: sessionCookie(res) } });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ result: { data: { role: 'office', orgId: org.orgId } } });
  });

  it('marks the cookie Secure on a non-local host', async () => {
    const res = await login({ host: 'vault.example.com' });
    expect(res.statusCode).toBe(200);
    expect(String(res.headers['set-cookie'])).toContain('Secure');
  });

  it('answers auth.me without a cookie with 401 and the shared code', async () => {
    const res = await app.inject({ url: '/trpc/auth.me' });
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({
      error: { data: { code: 'UNAUTHORIZED', errorCode: 'UNAUTHENTICATED' } },
    });
    expect(JSON.stringify(res.json())).not.toContain('stack');
  });

  it('refuses mutations without the CSRF header, from a foreign Origin, or cross-site', async () => {
    const bare = await login({ 'x-fieldvault-csrf': '' });
    expect(bare.statusCode).toBe(403);
    expect(bare.json()).toMatchObject({ error: { data: { errorCode: 'FORBIDDEN' } } });
    expect(bare.json<ErrorJson>().error.message).toContain('x-fieldvault-csrf');
    expect(bare.headers['set-cookie']).toBeUndefined();

    const foreign = await login({ origin: 'https://evil.example' });
    expect(foreign.statusCode).toBe(403);
    expect(foreign.json<ErrorJson>().error.message).toContain('evil.example');

    const crossSite = await login({ 'sec-fetch-site': 'cross-site' });
    expect(crossSite.statusCode).toBe(403);

    // Same origin with the header is fine, and so is the configured public URL.
    expect(
      (await login({ origin: 'http://127.0.0.1:8080', 'sec-fetch-site': 'same-origin' }))
        .statusCode,
    ).toBe(200);
    // And logout (a mutation) needs it too.
    const cookie = sessionCookie(await login());
    const logout = await app.inject({
      method: 'POST',
      url: '/trpc/auth.logout',
      headers: { cookie, ...JSON_TYPE },
    });
    expect(logout.statusCode).toBe(403);
    expect((await app.inject({ url: '/trpc/auth.me', headers: { cookie } })).statusCode).toBe(200);
  });

  it('logout clears the cookie and the session', async () => {
    const cookie = sessionCookie(await login());
    const res = await app.inject({
      method: 'POST',
      url: '/trpc/auth.logout',
      headers: { cookie, ...CSRF, ...JSON_TYPE },
    });
    expect(res.statusCode).toBe(200);
    expect(String(res.headers['set-cookie'])).toMatch(/fv_session=;/);
    expect((await app.inject({ url: '/trpc/auth.me', headers: { cookie } })).statusCode).toBe(401);
  });

  it('batches queries in one request', async () => {
    const cookie = sessionCookie(await login());
    const res = await app.inject({
      url: '/trpc/auth.me,auth.me?batch=1&input={}',
      headers: { cookie },
    });
    expect(res.statusCode).toBe(200);
    const body = res.json<{ result: { data: { role: string } } }[]>();
    expect(body).toHaveLength(2);
    expect(body.map((b) => b.result.data.role)).toEqual(['office', 'office']);
  });

  it('answers bad input with 400 BAD_INPUT naming the field, with flattened zod errors', async () => {
    const res = await login({});
    expect(res.statusCode).toBe(200);
    const bad = await app.inject({
      method: 'POST',
      url: '/trpc/auth.login',
      headers: { 'content-type': 'application/json', ...CSRF },
      payload: { email: 'nope', password: 'x' },
    });
    expect(bad.statusCode).toBe(400);
    const error = bad.json<ErrorJson>().error;
    expect(error.data.errorCode).toBe('BAD_INPUT');
    expect(error.message).toContain('email');
    expect(error.data.zodError.fieldErrors.email).toBeDefined();
  });

  it('caps login requests per IP per minute with HTTP 429, other calls unaffected', async () => {
    const limited = await h.http({ loginRateLimitPerMinute: 2 });
    const attempt = () =>
      limited.inject({
        method: 'POST',
        url: '/trpc/auth.login',
        headers: { ...JSON_TYPE, ...CSRF },
        payload: { email: 'nobody@web.test', password: 'x' },
      });
    expect((await attempt()).statusCode).toBe(401);
    expect((await attempt()).statusCode).toBe(401);
    const third = await attempt();
    expect(third.statusCode).toBe(429);
    expect(third.json()).toMatchObject({ error: { data: { errorCode: 'RATE_LIMITED' } } });
    expect((await limited.inject({ url: '/trpc/auth.me' })).statusCode).toBe(401);
  });

  it('fails the action when its audit row cannot be written, and counts it', async () => {
    const adminLogin = await app.inject({
      method: 'POST',
      url: '/trpc/auth.login',
      headers: { ...JSON_TYPE, ...CSRF },
      payload: { email: org.users.admin.email, password: TEST_PASSWORD },
    });
    const cookie = sessionCookie(adminLogin);
    await sql`alter table audit_events add constraint test_refuse check (action <> 'USER_CREATED')`.execute(
      h.test.db,
    );
    try {
      const res = await app.inject({
        method: 'POST',
        url: '/trpc/admin.users.create',
        headers: { ...JSON_TYPE, ...CSRF, cookie },
        payload: {
          email: 'unaudited@web.test',
          name: 'Nobody',
          role: 'field',
          password: 'a long enough password',
        },
      });
      expect(res.statusCode).toBe(500);
      expect(res.json()).toMatchObject({ error: { data: { errorCode: 'INTERNAL' } } });
      expect(res.body).not.toContain('test_refuse');
    } finally {
      await sql`alter table audit_events drop constraint test_refuse`.execute(h.test.db);
    }
    const user = await h.test.db
      .selectFrom('users')
      .select('id')
      .where('email', '=', 'unaudited@web.test')
      .execute();
    expect(user).toEqual([]);
    const metrics = await app.inject({ url: '/metrics' });
    expect(metrics.body).toMatch(/^fieldvault_audit_write_failures_total 1$/m);
  });

  it('/readyz is 200 with the database and storage up', async () => {
    const res = await app.inject({ url: '/readyz' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      status: 'ready',
      checks: { database: { ok: true }, storage: { ok: true } },
    });
  });

  it('/readyz is 503 when storage fails its round trip', async () => {
    const broken = await h.http({ probeStorage: () => Promise.reject(new Error('bucket gone')) });
    const res = await broken.inject({ url: '/readyz' });
    expect(res.statusCode).toBe(503);
    expect(res.json()).toMatchObject({
      status: 'unavailable',
      checks: { database: { ok: true }, storage: { ok: false } },
    });
    expect(res.body).not.toContain('bucket gone');
  });

  it('/metrics exposes Prometheus text with the FieldVault counters', async () => {
    const res = await app.inject({ url: '/metrics' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/plain');
    for (const name of [
      'fieldvault_uploads_begun_total',
      'fieldvault_uploads_completed_total',
      'fieldvault_uploads_failed_total',
      'fieldvault_verification_mismatches_total',
      'fieldvault_audit_write_failures_total',
      'fieldvault_storage_call_duration_seconds',
      'fieldvault_storage_errors_total',
      'process_cpu_user_seconds_total',
    ]) {
      expect(res.body).toContain(name);
    }
  });
});

describe('/readyz with the database down', () => {
  it('answers 503 quickly', async () => {
    const { db } = await openDatabase({ url: 'postgres://postgres@127.0.0.1:1/nowhere' });
    const h = await createHarness('pglite');
    try {
      const app = await buildApp({
        config: h.config,
        logger: pino({ level: 'silent' }),
        db,
        store: h.deps.store,
        metrics: createMetrics(),
      });
      const res = await app.inject({ url: '/readyz' });
      expect(res.statusCode).toBe(503);
      expect(res.json()).toMatchObject({
        checks: { database: { ok: false }, storage: { ok: true } },
      });
      // Liveness is unaffected: the process is up.
      expect((await app.inject({ url: '/healthz' })).statusCode).toBe(200);
      await app.close();
    } finally {
      await db.destroy();
      await h.destroy();
    }
  });
});
