// audit.list and audit.verify: every filter, keyset pages, org isolation, chain verification and tampering that shows.
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Tx } from '../db/database.js';
import type { Role } from '../db/schema.js';
import { DB_KINDS } from '../test/db.js';
import { createHarness, type Harness } from '../test/harness.js';
import { decodeAuditCursor, encodeAuditCursor } from './audit.cursor.js';
import { VERIFY_BATCH } from './audit.service.js';
import { appendAuditEvent, type AuditEventInput } from './audit.writer.js';

type Org = Awaited<ReturnType<Harness['seedOrg']>>;
type Caller = ReturnType<Harness['caller']>;

const T0 = Date.parse('2026-01-01T00:00:00.000Z');
const at = (minutes: number) => new Date(T0 + minutes * 60_000);

/** Append one event to an org's chain in its own transaction. */
function append(h: Harness, event: Partial<AuditEventInput> & { orgId: string }) {
  return h.test.db.transaction().execute((trx) =>
    appendAuditEvent(trx, {
      at: new Date(T0),
      actor: { userId: null, role: null },
      action: 'LOGIN',
      success: true,
      ...event,
    }),
  );
}

/** Tamper as the database owner would: triggers off for this transaction only (superuser). */
function asSuperuser(h: Harness, fn: (trx: Tx) => Promise<unknown>) {
  return h.test.db.transaction().execute(async (trx) => {
    await sql`set local session_replication_role = replica`.execute(trx);
    await fn(trx);
  });
}

describe('audit cursors', () => {
  it('round-trip and refuse anything else', () => {
    expect(decodeAuditCursor(encodeAuditCursor(42))).toBe(42);
    for (const bad of ['', '42', 'a1.', 'a1.!!', `a1.${Buffer.from('0').toString('base64url')}`]) {
      expect(decodeAuditCursor(bad)).toBeNull();
    }
  });
});

describe.each(DB_KINDS)('audit router on %s', (kind) => {
  let h: Harness;
  let org: Org;
  let other: Org;
  let auditor: Caller;
  const fileA = randomUUID();
  const fileB = randomUUID();

  const as = async (o: Org, role: Role) => h.caller((await h.sessionFor(o.users[role])).session);

  beforeAll(async () => {
    h = await createHarness(kind);
    org = await h.seedOrg('audit');
    other = await h.seedOrg('elsewhere');
    auditor = await as(org, 'auditor');
    const office = { userId: org.users.office.id, role: 'office' as const };
    const admin = { userId: org.users.admin.id, role: 'admin' as const };
    // 12 events, one per minute: seq n at minute n - 1.
    const plan: Partial<AuditEventInput>[] = [
      { actor: office, action: 'LOGIN' },
      { actor: office, action: 'DOWNLOAD_URL_ISSUED', target: { fileId: fileA, key: 'k/a' } },
      { actor: admin, action: 'LOGIN' },
      { actor: office, action: 'FILE_DELETED', target: { fileId: fileA } },
      {
        actor: admin,
        action: 'FILE_PURGED',
        target: { fileId: fileA },
        success: false,
        errorCode: 'RETENTION_LOCKED',
      },
      { actor: office, action: 'FILE_RESTORED', target: { fileId: fileA } },
      { actor: office, action: 'DOWNLOAD_URL_ISSUED', target: { fileId: fileB } },
      { actor: admin, action: 'LOGIN_FAILED', success: false, errorCode: 'UNAUTHENTICATED' },
      { actor: office, action: 'LOGIN' },
      { actor: admin, action: 'USER_CREATED', details: { email: 'x@audit.test' } },
      { actor: office, action: 'DOWNLOAD_URL_ISSUED', target: { fileId: fileB } },
      { actor: admin, action: 'LOGOUT' },
    ];
    for (const [i, event] of plan.entries()) {
      await append(h, { orgId: org.orgId, at: at(i), ...event });
    }
    await append(h, {
      orgId: other.orgId,
      action: 'DOWNLOAD_URL_ISSUED',
      target: { fileId: fileA },
    });
  });
  afterAll(async () => {
    await h.destroy();
  });

  const seqs = (page: { items: { seq: number }[] }) => page.items.map((e) => e.seq);

  describe('audit.list', () => {
    it('lists the own org newest first with every field of the entry', async () => {
      const page = await auditor.audit.list();
      expect(seqs(page)).toEqual([12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1]);
      expect(page.nextCursor).toBeNull();
      expect(page.items.every((e) => e.orgId === org.orgId)).toBe(true);
      expect(page.items.find((e) => e.seq === 5)).toMatchObject({
        action: 'FILE_PURGED',
        actorId: org.users.admin.id,
        actorRole: 'admin',
        fileId: fileA,
        success: false,
        errorCode: 'RETENTION_LOCKED',
        at: at(4).toISOString(),
      });
      expect(page.items.find((e) => e.seq === 2)).toMatchObject({ targetKey: 'k/a' });
    });

    it.each([
      ['userId', () => ({ userId: org.users.admin.id }), [12, 10, 8, 5, 3]],
      ['fileId', () => ({ fileId: fileA }), [6, 5, 4, 2]],
      ['action', () => ({ action: 'DOWNLOAD_URL_ISSUED' as const }), [11, 7, 2]],
      ['failuresOnly', () => ({ failuresOnly: true }), [8, 5]],
      ['from', () => ({ from: at(9).toISOString() }), [12, 11, 10]],
      ['to', () => ({ to: at(1).toISOString() }), [2, 1]],
      ['from+to', () => ({ from: at(3).toISOString(), to: at(5).toISOString() }), [6, 5, 4]],
      [
        'several at once',
        () => ({
          userId: org.users.office.id,
          action: 'DOWNLOAD_URL_ISSUED' as const,
          fileId: fileB,
        }),
        [11, 7],
      ],
    ])('filters by %s', async (_name, filters, expected) => {
      expect(seqs(await auditor.audit.list({ filters: filters() }))).toEqual(expected);
    });

    it('pages with an opaque cursor, filters kept, no duplicates and no skips', async () => {
      const busy = await h.seedOrg('busy');
      for (let i = 0; i < 12; i++) await append(h, { orgId: busy.orgId, at: at(i) });
      const reader = await as(busy, 'auditor');
      const seen: number[] = [];
      let cursor: string | undefined;
      for (let i = 0; i < 10; i++) {
        const page = await reader.audit.list({ limit: 5, ...(cursor ? { cursor } : {}) });
        seen.push(...seqs(page));
        if (!page.nextCursor) break;
        cursor = page.nextCursor;
        // Events appended between pages get higher seqs than any cursor: later pages do not move.
        await append(h, { orgId: busy.orgId });
      }
      expect(seen).toEqual([12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1]);
      const first = await auditor.audit.list({ limit: 2, filters: { fileId: fileA } });
      expect(seqs(first)).toEqual([6, 5]);
      const second = await auditor.audit.list({
        limit: 2,
        filters: { fileId: fileA },
        cursor: first.nextCursor ?? '',
      });
      expect(seqs(second)).toEqual([4, 2]);
      expect(second.nextCursor).toBeNull();
    });

    it("never shows another org's events, even by their file id", async () => {
      const mine = await (await as(other, 'admin')).audit.list();
      expect(mine.items.every((e) => e.orgId === other.orgId)).toBe(true);
      const page = await auditor.audit.list({ filters: { fileId: fileA } });
      expect(page.items.every((e) => e.orgId === org.orgId)).toBe(true);
    });
  });

  describe('audit.verify', () => {
    it('verifies the whole chain up to its head, and a window of it', async () => {
      expect(await auditor.audit.verify()).toEqual({
        ok: true,
        checked: 12,
        fromSeq: 1,
        toSeq: 12,
        firstBreak: null,
      });
      // Window minutes 3..5 = seq 4..6, plus the link from seq 3 into it.
      expect(
        await auditor.audit.verify({ from: at(3).toISOString(), to: at(5).toISOString() }),
      ).toEqual({ ok: true, checked: 4, fromSeq: 4, toSeq: 6, firstBreak: null });
      // A window holding no events (each verify appends its AUDIT_VERIFIED row at the clock's "now").
      expect(
        await auditor.audit.verify({ from: at(100).toISOString(), to: at(200).toISOString() }),
      ).toMatchObject({
        ok: true,
        checked: 0,
        fromSeq: null,
      });
    });

    it('streams a chain longer than one batch', async () => {
      const big = await h.seedOrg('bigchain');
      const n = VERIFY_BATCH * 2 + 7;
      await h.test.db.transaction().execute(async (trx) => {
        for (let i = 0; i < n; i++) {
          await appendAuditEvent(trx, {
            orgId: big.orgId,
            at: new Date(T0 + i),
            actor: { userId: null, role: null },
            action: 'LOGIN',
            success: true,
          });
        }
      });
      const result = await (await as(big, 'admin')).audit.verify();
      expect(result).toEqual({ ok: true, checked: n, fromSeq: 1, toSeq: n, firstBreak: null });
    });

    it('names the first broken link after an edit, a deleted middle row, a removed tail', async () => {
      const t = await h.seedOrg('tamper');
      for (let i = 0; i < 6; i++) await append(h, { orgId: t.orgId, at: at(i), details: { i } });
      const verify = async () => (await as(t, 'auditor')).audit.verify();
      expect((await verify()).ok).toBe(true);

      await asSuperuser(h, (trx) =>
        trx
          .updateTable('audit_events')
          .set({ details: { i: 99 } })
          .where('org_id', '=', t.orgId)
          .where('seq', '=', 4)
          .execute(),
      );
      expect(await verify()).toMatchObject({
        ok: false,
        checked: 4,
        firstBreak: { seq: 4, reason: 'hash' },
      });

      await asSuperuser(h, (trx) =>
        trx.deleteFrom('audit_events').where('org_id', '=', t.orgId).where('seq', '=', 2).execute(),
      );
      expect(await verify()).toMatchObject({
        ok: false,
        firstBreak: { seq: 3, reason: 'gap', expectedSeq: 2 },
      });
      // A window that starts after the deleted row still checks its link into the window.
      expect(
        await (await as(t, 'auditor')).audit.verify({ from: at(2).toISOString() }),
      ).toMatchObject({ ok: false, firstBreak: { seq: 3, reason: 'gap', expectedSeq: 2 } });

      // A window starting at the edited row reports the edit, not the earlier gap.
      expect(
        await (await as(t, 'auditor')).audit.verify({ from: at(4).toISOString() }),
      ).toMatchObject({ ok: false, firstBreak: { seq: 4, reason: 'hash' } });
    });

    it('notices removed newest rows the chain head still counts', async () => {
      const t = await h.seedOrg('tail');
      for (let i = 0; i < 5; i++) await append(h, { orgId: t.orgId, at: at(i) });
      await asSuperuser(h, (trx) =>
        trx.deleteFrom('audit_events').where('org_id', '=', t.orgId).where('seq', '>', 3).execute(),
      );
      const verifier = await as(t, 'auditor');
      expect(await verifier.audit.verify({ from: at(4).toISOString() })).toMatchObject({
        ok: false,
        firstBreak: { seq: 4, reason: 'missing' },
      });
      // The first verify's own AUDIT_VERIFIED row continues from the head (seq 6), so from here on
      // the hole shows as a gap before it.
      expect(await verifier.audit.verify()).toMatchObject({
        ok: false,
        checked: 4,
        firstBreak: { seq: 6, reason: 'gap', expectedSeq: 4 },
      });
    });

    it('notices a rewritten last row whose hash was recomputed (the head disagrees)', async () => {
      const t = await h.seedOrg('rewrite');
      for (let i = 0; i < 3; i++) await append(h, { orgId: t.orgId, at: at(i) });
      const { computeAuditHash } = await import('./audit.writer.js');
      await asSuperuser(h, async (trx) => {
        const row = await trx
          .selectFrom('audit_events')
          .selectAll()
          .where('org_id', '=', t.orgId)
          .where('seq', '=', 3)
          .executeTakeFirstOrThrow();
        const { hash: _old, ...fields } = { ...row, action: 'LOGOUT' };
        await trx
          .updateTable('audit_events')
          .set({ action: 'LOGOUT', hash: computeAuditHash(fields) })
          .where('org_id', '=', t.orgId)
          .where('seq', '=', 3)
          .execute();
      });
      expect(await (await as(t, 'admin')).audit.verify()).toMatchObject({
        ok: false,
        firstBreak: { seq: 3, reason: 'head' },
      });
    });

    it("only ever verifies the caller's own org", async () => {
      const result = await (await as(other, 'auditor')).audit.verify();
      expect(result.ok).toBe(true);
      expect(result.checked).toBeGreaterThanOrEqual(1);
      expect(result.checked).toBeLessThan(12);
    });
  });

  it('the append-only trigger refuses UPDATE, DELETE and TRUNCATE', async () => {
    const count = async () =>
      (
        await h.test.db
          .selectFrom('audit_events')
          .select('seq')
          .where('org_id', '=', org.orgId)
          .execute()
      ).length;
    const before = await count();
    await expect(
      h.test.db
        .updateTable('audit_events')
        .set({ action: 'LOGOUT' })
        .where('org_id', '=', org.orgId)
        .execute(),
    ).rejects.toThrow(/append-only/);
    await expect(
      h.test.db.deleteFrom('audit_events').where('org_id', '=', org.orgId).execute(),
    ).rejects.toThrow(/append-only/);
    await expect(sql`truncate audit_events`.execute(h.test.db)).rejects.toThrow(/append-only/);
    expect(await count()).toBe(before);
    expect((await auditor.audit.verify()).ok).toBe(true);
  });
});
