// Audit about the audit log: audit.verify records AUDIT_VERIFIED; GET /api/audit/export.csv streams the filtered log, audited, refusals write nothing.
import { sql } from 'kysely';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DB_KINDS } from '../test/db.js';
import { createHarness, type Harness } from '../test/harness.js';
import { parseCsv } from '../files/zip-reader.test-kit.js';
import { appendAuditEvent } from './audit.writer.js';

type Org = Awaited<ReturnType<Harness['seedOrg']>>;
const PATH = '/api/audit/export.csv';

describe.each(DB_KINDS)('audit exports and verification records on %s', (kind) => {
  let h: Harness;
  let app: FastifyInstance;
  let org: Org;
  let other: Org;
  const rowsOf = (orgId: string, action: string) =>
    h.test.db
      .selectFrom('audit_events')
      .selectAll()
      .where('org_id', '=', orgId)
      .where('action', '=', action)
      .orderBy('seq')
      .execute();
  const cookie = async (o: Org, role: 'admin' | 'auditor' | 'office' | 'field') =>
    `fv_session=${(await h.sessionFor(o.users[role])).token}`;

  beforeAll(async () => {
    h = await createHarness(kind);
    app = await h.http();
    org = await h.seedOrg('auditx');
    other = await h.seedOrg('auditx-other');
    await h.test.db.transaction().execute(async (trx) => {
      for (const [i, o] of [org, org, org, other].entries()) {
        await appendAuditEvent(trx, {
          orgId: o.orgId,
          at: new Date(Date.UTC(2026, 0, 1, 0, i)),
          actor: { userId: o.users.office.id, role: 'office' },
          action: i === 2 ? 'LOGIN_FAILED' : 'LOGIN',
          success: i !== 2,
          userAgent: i === 1 ? '=HYPERLINK("http://evil")' : 'vitest',
          details: { note: 'a, "quoted" note', i },
        });
      }
    });
  });
  afterAll(async () => {
    await h.destroy();
  });

  it('audit.verify records who checked the chain and what was found', async () => {
    const result = await h.caller((await h.sessionFor(org.users.auditor)).session).audit.verify();
    expect(result.ok).toBe(true);
    const [row, ...more] = await rowsOf(org.orgId, 'AUDIT_VERIFIED');
    expect(more).toEqual([]);
    expect(row).toMatchObject({
      actor_role: 'auditor',
      success: true,
      error_code: null,
      details: { checked: result.checked, toSeq: result.toSeq, firstBreak: null },
    });
    // The chain including the verification row still verifies.
    expect((await h.caller((await h.sessionFor(org.users.admin)).session).audit.verify()).ok).toBe(
      true,
    );
  });

  it('a broken chain is recorded as a failed verification (CHAIN_BROKEN)', async () => {
    const t = await h.seedOrg('auditx-broken');
    await h.test.db.transaction().execute(async (trx) => {
      for (let i = 0; i < 3; i++) {
        await appendAuditEvent(trx, {
          orgId: t.orgId,
          at: new Date(Date.UTC(2026, 0, 1, 0, i)),
          actor: { userId: null, role: null },
          action: 'LOGIN',
          success: true,
        });
      }
    });
    await h.test.db.transaction().execute(async (trx) => {
      await sql`set local session_replication_role = replica`.execute(trx);
      await trx
        .deleteFrom('audit_events')
        .where('org_id', '=', t.orgId)
        .where('seq', '=', 2)
        .execute();
    });
    const result = await h.caller((await h.sessionFor(t.users.admin)).session).audit.verify();
    expect(result.ok).toBe(false);
    const [row] = await rowsOf(t.orgId, 'AUDIT_VERIFIED');
    expect(row).toMatchObject({
      success: false,
      error_code: 'CHAIN_BROKEN',
      details: { firstBreak: { seq: 3, reason: 'gap', expectedSeq: 2 } },
    });
  });

  it('exports the filtered log as CSV, newest first, with the chain columns; audited once', async () => {
    const before = await h.test.db
      .selectFrom('audit_events')
      .select('seq')
      .where('org_id', '=', org.orgId)
      .orderBy('seq', 'desc')
      .execute();
    const res = await app.inject({
      method: 'GET',
      url: PATH,
      headers: { cookie: await cookie(org, 'auditor') },
    });
    expect(res.statusCode, res.body.slice(0, 200)).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="fieldvault-audit-/);
    const rows = parseCsv(res.body);
    expect(rows.map((r) => Number(r.seq))).toEqual(before.map((b) => b.seq));
    const login = rows.find((r) => r.userAgent?.includes('HYPERLINK'));
    // A formula-looking cell is defused; quotes and commas survive the round trip.
    expect(login?.userAgent).toBe(`'=HYPERLINK("http://evil")`);
    expect(JSON.parse(login?.details ?? '{}')).toEqual({ note: 'a, "quoted" note', i: 1 });
    expect(login?.hash).toMatch(/^[0-9a-f]{64}$/);
    const [exported] = await rowsOf(org.orgId, 'AUDIT_EXPORTED');
    expect(exported).toMatchObject({
      actor_role: 'auditor',
      details: { count: before.length, format: 'csv', filters: {} },
    });

    const failures = await app.inject({
      method: 'GET',
      url: `${PATH}?filters=${encodeURIComponent(JSON.stringify({ failuresOnly: true }))}`,
      headers: { cookie: await cookie(org, 'admin') },
    });
    expect(parseCsv(failures.body).map((r) => [r.action, r.success])).toEqual([
      ['LOGIN_FAILED', 'false'],
    ]);
  });

  it('refuses office and field staff, the signed-out and bad filters, writing nothing', async () => {
    const count = async () => (await rowsOf(org.orgId, 'AUDIT_EXPORTED')).length;
    const before = await count();
    const cases: [string, string | undefined, number, string][] = [
      [PATH, undefined, 401, 'UNAUTHENTICATED'],
      [PATH, await cookie(org, 'office'), 403, 'FORBIDDEN'],
      [PATH, await cookie(org, 'field'), 403, 'FORBIDDEN'],
      [
        `${PATH}?filters=${encodeURIComponent('{"action":"EVERYTHING"}')}`,
        await cookie(org, 'admin'),
        400,
        'BAD_INPUT',
      ],
      [
        `${PATH}?filters=${encodeURIComponent('{"userId":"me"}')}`,
        await cookie(org, 'admin'),
        400,
        'BAD_INPUT',
      ],
    ];
    for (const [url, c, status, errorCode] of cases) {
      const res = await app.inject({ method: 'GET', url, headers: c ? { cookie: c } : {} });
      expect(res.statusCode, url).toBe(status);
      expect(res.json()).toMatchObject({ error: { data: { errorCode } } });
    }
    expect(await count()).toBe(before);
  });
});
