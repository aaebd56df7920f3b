// files.history: a file's trail for the desk roles — org-scoped like files.get, keyset pages, field staff refused.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../db/schema.js';
import { DB_KINDS } from '../test/db.js';
import { caught, expectCode } from '../test/expect-error.js';
import { createHarness, type Harness } from '../test/harness.js';
import { seedFile } from './files.test-kit.js';

type Org = Awaited<ReturnType<Harness['seedOrg']>>;
type Caller = ReturnType<Harness['caller']>;

describe.each(DB_KINDS)('files.history on %s', (kind) => {
  let h: Harness;
  let org: Org;
  let other: Org;
  const as = async (o: Org, role: Role): Promise<Caller> =>
    h.caller((await h.sessionFor(o.users[role])).session);
  const seedIn = (o: Org) => seedFile(h.deps, { orgId: o.orgId, uploadedBy: o.users.field.id });
  const auditCount = async () =>
    Number(
      (
        await h.test.db
          .selectFrom('audit_events')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  beforeAll(async () => {
    h = await createHarness(kind);
    org = await h.seedOrg('history');
    other = await h.seedOrg('history-other');
  });
  afterAll(async () => {
    await h.destroy();
  });

  it("shows office staff the org's trail of a file: who, role, device, IP, action, outcome; newest first", async () => {
    const file = await seedIn(org);
    const unrelated = await seedIn(org);
    const office = await as(org, 'office');
    await office.files.delete({ id: file.id, reason: 'photographed twice' });
    await office.files.restore({ id: file.id });
    await office.files.delete({ id: unrelated.id });
    const admin = await as(org, 'admin');
    // A refused purge (not deleted): the trail keeps only what was recorded, nothing of other files.
    await expectCode(admin.files.purge({ id: file.id }), 'CONFLICT');

    const page = await office.files.history({ id: file.id });
    expect(page.nextCursor).toBeNull();
    expect(page.items.map((e) => e.action)).toEqual(['FILE_RESTORED', 'FILE_DELETED']);
    const [restored, deleted] = page.items;
    expect(deleted).toMatchObject({
      actorId: org.users.office.id,
      actorRole: 'office',
      success: true,
      errorCode: null,
      details: { reason: 'photographed twice', previousStatus: 'verified' },
    });
    expect(restored?.seq).toBeGreaterThan(deleted?.seq ?? Infinity);
    expect(Object.keys(deleted ?? {}).sort()).toEqual(
      [
        'action',
        'actorId',
        'actorRole',
        'at',
        'details',
        'deviceAt',
        'deviceLabel',
        'errorCode',
        'id',
        'ip',
        'seq',
        'success',
      ].sort(),
    );
    // Admins and auditors read the same trail as audit.list filtered by the file.
    const viaAudit = await (await as(org, 'auditor')).audit.list({ filters: { fileId: file.id } });
    const viaHistory = await (await as(org, 'auditor')).files.history({ id: file.id });
    expect(viaHistory.items.map((e) => e.id)).toEqual(viaAudit.items.map((e) => e.id));
  });

  it('records a refused action with its error code', async () => {
    const file = await seedFile(h.deps, {
      orgId: org.orgId,
      uploadedBy: org.users.field.id,
      status: 'deleted',
      retentionUntil: new Date('2099-01-01T00:00:00.000Z'),
    });
    await expectCode((await as(org, 'admin')).files.purge({ id: file.id }), 'RETENTION_LOCKED');
    const [refused] = (await (await as(org, 'office')).files.history({ id: file.id })).items;
    expect(refused).toMatchObject({
      action: 'FILE_PURGED',
      actorRole: 'admin',
      success: false,
      errorCode: 'RETENTION_LOCKED',
    });
  });

  it('pages by seq without repeats, also when events are added between pages', async () => {
    const file = await seedIn(org);
    const office = await as(org, 'office');
    for (let i = 0; i < 3; i++) {
      await office.files.delete({ id: file.id });
      await office.files.restore({ id: file.id });
    }
    const first = await office.files.history({ id: file.id, limit: 4 });
    expect(first.items).toHaveLength(4);
    expect(first.nextCursor).not.toBeNull();
    await office.files.delete({ id: file.id }); // newer than any cursor: not on later pages
    const second = await office.files.history({
      id: file.id,
      limit: 4,
      cursor: first.nextCursor ?? '',
    });
    expect(second.nextCursor).toBeNull();
    const seqs = [...first.items, ...second.items].map((e) => e.seq);
    expect(seqs).toHaveLength(6);
    expect([...seqs].sort((a, b) => b - a)).toEqual(seqs);
    expect(new Set(seqs).size).toBe(6);
  });

  it("answers another org's file id exactly like an unknown id, and reads none of its events", async () => {
    const foreign = await seedIn(other);
    await (await as(other, 'office')).files.delete({ id: foreign.id, reason: 'secret reason' });
    for (const role of ['office', 'admin', 'auditor'] as const) {
      const caller = await as(org, role);
      const viaForeign = await expectCode(caller.files.history({ id: foreign.id }), 'NOT_FOUND');
      const viaMissing = await caught(
        caller.files.history({ id: '00000000-0000-4000-8000-000000000000' }),
      );
      expect(viaForeign).toEqual(viaMissing);
    }
  });

  it('refuses field staff, even for a file they uploaded', async () => {
    const mine = await seedIn(org);
    await expectCode((await as(org, 'field')).files.history({ id: mine.id }), 'FORBIDDEN');
    await expectCode(h.caller(null).files.history({ id: mine.id }), 'UNAUTHENTICATED');
  });

  it('refuses bad input naming the field, writing nothing', async () => {
    const file = await seedIn(org);
    const office = await as(org, 'office');
    const before = await auditCount();
    for (const [field, input] of [
      ['id', { id: 'file-1' }],
      ['cursor', { id: file.id, cursor: 'a1.bm9wZQ' }],
      ['cursor', { id: file.id, cursor: 'x'.repeat(65) }],
      ['limit', { id: file.id, limit: 0 }],
      ['limit', { id: file.id, limit: 101 }],
    ] as const) {
      const error = await expectCode(office.files.history(input), 'BAD_INPUT');
      expect(Object.keys(error.data.fieldErrors ?? {})).toContain(field);
    }
    expect(await auditCount()).toBe(before);
  });
});
