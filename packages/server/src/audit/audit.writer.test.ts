// The audit chain: gapless per-org seq under concurrency, hashes that verify, and tampering that shows.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertOrg } from '../auth/users.repository.js';
import { DB_KINDS, createTestDatabase, type TestDatabase } from '../test/db.js';
import { findChainBreak } from './audit.chain.js';
import { chainOf, expectChainIntact } from './audit.test-kit.js';
import {
  appendAuditEvent,
  appendAuditEvents,
  appendAuditEventsAcrossOrgs,
  GENESIS_HASH,
  isAuditWriteError,
  type AuditEventInput,
} from './audit.writer.js';
import { canonicalJson } from './canonical-json.js';

describe('canonicalJson', () => {
  it('sorts keys recursively, drops undefined, writes dates as ISO', () => {
    expect(
      canonicalJson({ b: 1, a: { d: [1, 'x', null], c: true }, u: undefined, t: new Date(0) }),
    ).toBe('{"a":{"c":true,"d":[1,"x",null]},"b":1,"t":"1970-01-01T00:00:00.000Z"}');
    expect(() => canonicalJson({ n: Number.NaN })).toThrow();
  });
});

describe.each(DB_KINDS)('audit chain on %s', (kind) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase(kind);
  });
  afterAll(async () => {
    await t.destroy();
  });

  const rowsOf = (orgId: string) => chainOf(t.db, orgId);

  it('keeps seq gapless per org and every hash verifiable under concurrent writers', async () => {
    const a = await insertOrg(t.db, 'A');
    const b = await insertOrg(t.db, 'B');
    const write = (orgId: string, i: number) =>
      t.db.transaction().execute((trx) =>
        appendAuditEvent(trx, {
          orgId,
          at: new Date(Date.UTC(2026, 0, 1, 0, 0, i)),
          actor: { userId: null, role: null },
          action: 'LOGIN',
          success: true,
          details: { i, nested: { z: 1, a: [true, null] } },
        }),
      );
    await Promise.all(Array.from({ length: 40 }, (_, i) => write(i % 2 ? a.id : b.id, i)));

    for (const org of [a, b]) {
      const rows = await expectChainIntact(t.db, org.id, 20);
      expect(rows[0]?.prev_hash).toBe(GENESIS_HASH);
    }
  });

  it('rolls the audit row back with the transaction that failed', async () => {
    const org = await insertOrg(t.db, 'Rollback');
    await expect(
      t.db.transaction().execute(async (trx) => {
        await appendAuditEvent(trx, {
          orgId: org.id,
          at: new Date(),
          actor: { userId: null, role: null },
          action: 'LOGIN',
          success: true,
        });
        throw new Error('the action failed');
      }),
    ).rejects.toThrow('the action failed');
    expect(await rowsOf(org.id)).toEqual([]);
    const row = await t.db.transaction().execute((trx) =>
      appendAuditEvent(trx, {
        orgId: org.id,
        at: new Date(),
        actor: { userId: null, role: null },
        action: 'LOGIN',
        success: true,
      }),
    );
    expect(row.seq).toBe(1);
  });

  it('shows tampering done around the trigger (as a superuser would)', async () => {
    const org = await insertOrg(t.db, 'Tamper');
    for (let i = 0; i < 5; i++) {
      await t.db.transaction().execute((trx) =>
        appendAuditEvent(trx, {
          orgId: org.id,
          at: new Date(),
          actor: { userId: null, role: null },
          action: 'LOGIN',
          success: true,
          details: { i },
        }),
      );
    }
    await sql`alter table audit_events disable trigger audit_events_no_update_delete`.execute(t.db);
    try {
      await t.db
        .updateTable('audit_events')
        .set({ action: 'LOGOUT' })
        .where('org_id', '=', org.id)
        .where('seq', '=', 3)
        .execute();
      expect(findChainBreak(await rowsOf(org.id))).toEqual({ seq: 3, reason: 'hash' });
      await t.db
        .deleteFrom('audit_events')
        .where('org_id', '=', org.id)
        .where('seq', '=', 2)
        .execute();
      expect(findChainBreak(await rowsOf(org.id))).toEqual({
        seq: 3,
        reason: 'gap',
        expectedSeq: 2,
      });
    } finally {
      await sql`alter table audit_events enable trigger audit_events_no_update_delete`.execute(
        t.db,
      );
    }
  });

  const login = (
    orgId: string,
    details: NonNullable<AuditEventInput['details']>,
  ): AuditEventInput => ({
    orgId,
    at: new Date(),
    actor: { userId: null, role: null },
    action: 'LOGIN',
    success: true,
    details,
  });

  it('appends a batch as consecutive links among concurrent batches and single appends', async () => {
    const org = await insertOrg(t.db, 'Batches');
    // Each transaction: a batch of three, then one more append (the head it already holds).
    const write = (i: number) =>
      t.db.transaction().execute(async (trx) => {
        const batch = await appendAuditEvents(trx, [
          login(org.id, { i, n: 0 }),
          login(org.id, { i, n: 1 }),
          login(org.id, { i, n: 2 }),
        ]);
        const single = await appendAuditEvent(trx, login(org.id, { i, n: 3 }));
        return [...batch, single];
      });
    const written = await Promise.all(Array.from({ length: 15 }, (_, i) => write(i)));
    for (const rows of written) {
      const first = rows[0]?.seq ?? 0;
      expect(rows.map((r) => r.seq)).toEqual([first, first + 1, first + 2, first + 3]);
      expect(rows[1]?.prev_hash).toBe(rows[0]?.hash);
    }
    await expectChainIntact(t.db, org.id, 60);
  });

  it('starts an org chain with a batch, and writes nothing for a batch mixing orgs', async () => {
    const a = await insertOrg(t.db, 'Batch first');
    const b = await insertOrg(t.db, 'Batch other');
    const rows = await t.db
      .transaction()
      .execute((trx) => appendAuditEvents(trx, [login(a.id, { n: 1 }), login(a.id, { n: 2 })]));
    expect(rows.map((r) => [r.seq, r.prev_hash === GENESIS_HASH])).toEqual([
      [1, true],
      [2, false],
    ]);
    const mixed = t.db
      .transaction()
      .execute((trx) => appendAuditEvents(trx, [login(a.id, {}), login(b.id, {})]));
    await expect(mixed).rejects.toSatisfy(isAuditWriteError);
    expect((await rowsOf(a.id)).length).toBe(2);
    expect(await rowsOf(b.id)).toEqual([]);
  });

  it('appends across orgs (group commit): each org a consecutive run in input order, among concurrent writers, new chains started', async () => {
    const a = await insertOrg(t.db, 'Across A');
    const b = await insertOrg(t.db, 'Across B');
    // Interleaved orgs; b has no head yet when the first group starts.
    const group = (i: number) =>
      t.db
        .transaction()
        .execute((trx) =>
          appendAuditEventsAcrossOrgs(trx, [
            login(b.id, { i, n: 0 }),
            login(a.id, { i, n: 1 }),
            login(b.id, { i, n: 2 }),
            login(a.id, { i, n: 3 }),
          ]),
        );
    const single = (orgId: string, i: number) =>
      t.db.transaction().execute((trx) => appendAuditEvent(trx, login(orgId, { i, single: true })));
    const [groups, singles] = await Promise.all([
      Promise.all(Array.from({ length: 8 }, (_, i) => group(i))),
      Promise.all(Array.from({ length: 8 }, (_, i) => single(i % 2 ? a.id : b.id, i))),
    ]);
    expect(singles).toHaveLength(8);
    for (const [i, rows] of groups.entries()) {
      expect(rows.map((r) => [r.org_id, (r.details as { n: number }).n, i])).toEqual([
        [b.id, 0, i],
        [a.id, 1, i],
        [b.id, 2, i],
        [a.id, 3, i],
      ]);
      const [b0, a1, b2, a3] = rows;
      expect(b2?.seq).toBe((b0?.seq ?? 0) + 1);
      expect(b2?.prev_hash).toBe(b0?.hash);
      expect(a3?.seq).toBe((a1?.seq ?? 0) + 1);
      expect(a3?.prev_hash).toBe(a1?.hash);
    }
    for (const org of [a, b]) {
      await expectChainIntact(t.db, org.id, 20);
    }
  });

  it('shows tampering with rows written in one batch', async () => {
    const org = await insertOrg(t.db, 'Batch tamper');
    await t.db.transaction().execute((trx) =>
      appendAuditEvents(
        trx,
        Array.from({ length: 5 }, (_, i) => login(org.id, { i })),
      ),
    );
    expect(findChainBreak(await rowsOf(org.id))).toBeNull();
    await sql`alter table audit_events disable trigger audit_events_no_update_delete`.execute(t.db);
    try {
      await t.db
        .updateTable('audit_events')
        .set({ details: { i: 99 } })
        .where('org_id', '=', org.id)
        .where('seq', '=', 2)
        .execute();
      expect(findChainBreak(await rowsOf(org.id))).toEqual({ seq: 2, reason: 'hash' });
      await t.db
        .deleteFrom('audit_events')
        .where('org_id', '=', org.id)
        .where('seq', '=', 4)
        .execute();
      const rest = (await rowsOf(org.id)).filter((r) => r.seq > 2);
      const third = (await rowsOf(org.id)).find((r) => r.seq === 3);
      expect(findChainBreak(rest, { seq: 3, prevHash: third?.prev_hash ?? '' })).toEqual({
        seq: 5,
        reason: 'gap',
        expectedSeq: 4,
      });
    } finally {
      await sql`alter table audit_events enable trigger audit_events_no_update_delete`.execute(
        t.db,
      );
    }
  });
});
