// Rehash and purge on the disk store, PGlite and PostgreSQL: a flipped byte becomes a mismatch; purge respects grace, retention and legal hold.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedFile } from '../files/files.test-kit.js';
import { DB_KINDS } from '../test/db.js';
import { createHarness, type Harness } from '../test/harness.js';
import { flipStoredByte, runBody } from './compliance.test-kit.js';
import { purge } from './purge.job.js';
import { checkRetention } from './retention-check.js';
import { rehash, Throttle } from './rehash.job.js';

const DAY = 86_400_000;

describe.each(DB_KINDS)('compliance jobs on %s (fs)', (kind) => {
  let h: Harness;
  let org: Awaited<ReturnType<Harness['seedOrg']>>;
  beforeAll(async () => {
    h = await createHarness(kind, { FIELDVAULT_REHASH_DAILY_PERCENT: '40' });
    org = await h.seedOrg(`c-${kind}`);
  });
  afterAll(() => h.destroy());

  const base = () => ({ orgId: org.orgId, uploadedBy: org.users.field.id });

  it('rehash --all turns a file whose stored byte was flipped into a mismatch, audited with an event', async () => {
    const files = [];
    for (let i = 0; i < 4; i++) {
      const bytes = Buffer.from(`rehash ${kind} ${i} `.repeat(50));
      files.push({ row: await seedFile(h.deps, { ...base(), bytes }), bytes });
    }
    const victim = files[2];
    if (!victim) throw new Error('no file');
    await flipStoredByte(h.deps.store, { key: victim.row.key, bytes: victim.bytes });
    const out = await runBody(h, rehash, { orgId: org.orgId, all: true });
    expect(out.counts).toEqual({ checked: 4, matched: 3, mismatched: 1, missing: 0 });
    const rows = await h.deps.db
      .selectFrom('files')
      .select(['id', 'status'])
      .where('org_id', '=', org.orgId)
      .execute();
    expect(rows.filter((r) => r.status === 'mismatch').map((r) => r.id)).toEqual([victim.row.id]);
    const audit = await h.deps.db
      .selectFrom('audit_events')
      .selectAll()
      .where('target_file_id', '=', victim.row.id)
      .execute();
    expect(audit.map((a) => a.action)).toEqual(['HASH_MISMATCH']);
    const events = await h.deps.db
      .selectFrom('file_events')
      .select('type')
      .where('file_id', '=', victim.row.id)
      .execute();
    expect(events.map((e) => e.type)).toEqual(['file.mismatch']);
    const caller = h.caller((await h.sessionFor(org.users.admin)).session);
    expect((await caller.audit.verify()).ok).toBe(true);
  });

  it('the daily sample reads 40% per run, least recently checked first, and rolls through every file', async () => {
    const other = await h.seedOrg(`s-${kind}`);
    for (let i = 0; i < 5; i++)
      await seedFile(h.deps, {
        orgId: other.orgId,
        uploadedBy: other.users.field.id,
        bytes: Buffer.from(`s${i}`),
      });
    const runs = [];
    for (let i = 0; i < 4; i++)
      runs.push((await runBody(h, rehash, { orgId: other.orgId })).counts.checked);
    expect(runs).toEqual([2, 2, 1, 0]);
    h.clock.advance(DAY);
    expect((await runBody(h, rehash, { orgId: other.orgId })).counts.checked).toBe(2);
  });

  it('the throttle holds reads to the configured rate', async () => {
    const t = new Throttle(1_000_000);
    const started = performance.now();
    await t.take(200_000);
    expect(performance.now() - started).toBeGreaterThanOrEqual(180);
  });

  it('purge removes bytes of files deleted past the grace period, keeps the record, and spares retention and legal hold', async () => {
    const p = await h.seedOrg(`p-${kind}`);
    const mk = async (o: { daysAgo: number; retention?: Date; hold?: boolean }) => {
      const f = await seedFile(h.deps, {
        orgId: p.orgId,
        uploadedBy: p.users.field.id,
        status: 'deleted',
        bytes: Buffer.from(`p${Math.random()}`),
        ...(o.retention ? { retentionUntil: o.retention } : {}),
      });
      await h.deps.db
        .updateTable('files')
        .set({
          deleted_at: new Date(h.clock.now().getTime() - o.daysAgo * DAY),
          legal_hold: o.hold ?? false,
        })
        .where('id', '=', f.id)
        .execute();
      return f;
    };
    const old = await mk({ daysAgo: 100 });
    const retained = await mk({
      daysAgo: 100,
      retention: new Date(h.clock.now().getTime() + 365 * DAY),
    });
    const held = await mk({ daysAgo: 100, hold: true });
    const recent = await mk({ daysAgo: 10 });
    const first = await runBody(h, purge, { orgId: p.orgId });
    expect(first.counts).toMatchObject({ purged: 1, retained: 1, held: 1, failed: 0 });
    const status = async (id: string) =>
      await h.deps.db
        .selectFrom('files')
        .select(['status', 'purged_at'])
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
    expect(await status(old.id)).toMatchObject({ status: 'purged' });
    expect(await h.deps.store.head(old.key)).toBeNull();
    for (const f of [retained, held, recent]) {
      expect((await status(f.id)).status).toBe('deleted');
      expect(await h.deps.store.head(f.key)).not.toBeNull();
    }
    const audit = await h.deps.db
      .selectFrom('audit_events')
      .select(['action', 'success'])
      .where('target_file_id', '=', old.id)
      .execute();
    expect(audit).toEqual([{ action: 'FILE_PURGED', success: true }]);
    const second = await runBody(h, purge, { orgId: p.orgId });
    expect(second.counts.purged).toBe(0);
  });

  it('legal hold: set by an admin (audited), blocks purge until released; other orgs get NOT_FOUND', async () => {
    const p = await h.seedOrg(`lh-${kind}`);
    const other = await h.seedOrg(`lh2-${kind}`);
    const file = await seedFile(h.deps, {
      orgId: p.orgId,
      uploadedBy: p.users.field.id,
      status: 'deleted',
      bytes: Buffer.from('held'),
    });
    await h.deps.db
      .updateTable('files')
      .set({ deleted_at: new Date(h.clock.now().getTime() - 200 * DAY) })
      .where('id', '=', file.id)
      .execute();
    const admin = h.caller((await h.sessionFor(p.users.admin)).session);
    expect(
      await admin.compliance.legalHold({ id: file.id, hold: true, reason: 'case 42' }),
    ).toEqual({ id: file.id, legalHold: true, changed: true });
    expect((await admin.compliance.legalHold({ id: file.id, hold: true })).changed).toBe(false);
    expect((await runBody(h, purge, { orgId: p.orgId })).counts).toMatchObject({
      purged: 0,
      held: 1,
    });
    const stranger = h.caller((await h.sessionFor(other.users.admin)).session);
    await expect(stranger.compliance.legalHold({ id: file.id, hold: false })).rejects.toMatchObject(
      { code: 'NOT_FOUND' },
    );
    await admin.compliance.legalHold({ id: file.id, hold: false });
    expect((await runBody(h, purge, { orgId: p.orgId })).counts).toMatchObject({
      purged: 1,
      held: 0,
    });
    const actions = await h.deps.db
      .selectFrom('audit_events')
      .select('action')
      .where('target_file_id', '=', file.id)
      .orderBy('seq')
      .execute();
    expect(actions.map((a) => a.action)).toEqual([
      'LEGAL_HOLD_SET',
      'LEGAL_HOLD_RELEASED',
      'FILE_PURGED',
    ]);
  });

  it('retention check on fs: no object lock to sample, files expiring within the window listed', async () => {
    const r = await h.seedOrg(`rc-${kind}`);
    const soon = await seedFile(h.deps, {
      orgId: r.orgId,
      uploadedBy: r.users.field.id,
      retentionUntil: new Date(h.clock.now().getTime() + 5 * DAY),
    });
    const later = await seedFile(h.deps, {
      orgId: r.orgId,
      uploadedBy: r.users.field.id,
      retentionUntil: new Date(h.clock.now().getTime() + 90 * DAY),
    });
    const report = await checkRetention(h.deps, { days: 30, sample: 10 });
    expect(report).toMatchObject({ backend: 'fs', objectLock: false, sampled: 0, unprotected: [] });
    const ids = report.expiringSoon.map((e) => e.fileId);
    expect(ids).toContain(soon.id);
    expect(ids).not.toContain(later.id);
  });
});
