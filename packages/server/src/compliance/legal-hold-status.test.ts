// compliance.legalHoldStatus on PGlite and PostgreSQL: the hold, since when and by whom, for admins and auditors of the file's org only.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedFile } from '../files/files.test-kit.js';
import { DB_KINDS } from '../test/db.js';
import { createHarness, type Harness, type SeededUser } from '../test/harness.js';

describe.each(DB_KINDS)('compliance.legalHoldStatus on %s', (kind) => {
  let h: Harness;
  let org: Awaited<ReturnType<Harness['seedOrg']>>;
  let other: Awaited<ReturnType<Harness['seedOrg']>>;
  beforeAll(async () => {
    h = await createHarness(kind);
    org = await h.seedOrg(`lh-${kind}`);
    other = await h.seedOrg(`lh2-${kind}`);
  });
  afterAll(() => h.destroy());

  const callerAs = async (user: SeededUser) => h.caller((await h.sessionFor(user)).session);

  it('reads no change at first, then who placed the hold, when and why, then who released it', async () => {
    const file = await seedFile(h.deps, {
      orgId: org.orgId,
      uploadedBy: org.users.field.id,
      bytes: Buffer.from(`held ${kind}`),
    });
    const admin = await callerAs(org.users.admin);
    const auditor = await callerAs(org.users.auditor);
    expect(await auditor.compliance.legalHoldStatus({ id: file.id })).toEqual({
      id: file.id,
      legalHold: false,
      retentionUntil: file.retention_until?.toISOString() ?? null,
      lastChange: null,
    });

    const placedAt = h.clock.now().toISOString();
    await admin.compliance.legalHold({ id: file.id, hold: true, reason: 'case 42' });
    const held = await auditor.compliance.legalHoldStatus({ id: file.id });
    expect(held).toMatchObject({
      legalHold: true,
      lastChange: {
        action: 'set',
        at: placedAt,
        by: { userId: org.users.admin.id, name: `admin lh-${kind}` },
        reason: 'case 42',
      },
    });
    // What the server stored agrees with what it answers.
    const row = await h.deps.db
      .selectFrom('files')
      .select('legal_hold')
      .where('id', '=', file.id)
      .executeTakeFirstOrThrow();
    expect(row.legal_hold).toBe(true);

    h.clock.advance(60_000);
    await admin.compliance.legalHold({ id: file.id, hold: false });
    expect(await admin.compliance.legalHoldStatus({ id: file.id })).toMatchObject({
      legalHold: false,
      lastChange: {
        action: 'released',
        at: h.clock.now().toISOString(),
        by: { userId: org.users.admin.id },
        reason: null,
      },
    });
  });

  it('office and field staff are refused; another org reads "not found" like an unknown id', async () => {
    const file = await seedFile(h.deps, {
      orgId: org.orgId,
      uploadedBy: org.users.field.id,
      bytes: Buffer.from(`probe ${kind}`),
    });
    for (const role of ['office', 'field'] as const) {
      const caller = await callerAs(org.users[role]);
      await expect(caller.compliance.legalHoldStatus({ id: file.id })).rejects.toMatchObject({
        code: 'FORBIDDEN',
      });
    }
    const stranger = await callerAs(other.users.admin);
    await expect(stranger.compliance.legalHoldStatus({ id: file.id })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    const auditor = await callerAs(org.users.auditor);
    await expect(
      auditor.compliance.legalHold({ id: file.id, hold: true, reason: 'no' }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });
});
