// Org retention overrides: set and listed by admins (audited), applied when an upload is verified; other orgs keep the catalogue default.
import { describe, expect, it } from 'vitest';
import { DB_KINDS } from '../test/db.js';
import {
  beginInput,
  expectState,
  jpegBytes,
  put,
  useUploadKit,
} from '../uploads/uploads.test-kit.js';

describe.each(DB_KINDS)('retention overrides on %s', (kind) => {
  const suite = useUploadKit(kind);

  async function upload(user: typeof suite.kit.orgA.users.field) {
    const caller = await suite.kit.as(user);
    const bytes = jpegBytes(2000);
    const begun = expectState(await caller.uploads.begin(beginInput(bytes)), 'single');
    expect((await put(begun.put, bytes)).status).toBe(200);
    return caller.uploads.complete({ sessionId: begun.sessionId });
  }

  it("an org's override sets retention at verify time; the default stays for other orgs", async () => {
    const admin = await suite.kit.as(suite.kit.orgA.users.admin);
    const rules = await admin.compliance.retention.set({
      system: 'accounting',
      objectType: 'receipt',
      years: 10,
    });
    expect(rules.find((r) => r.system === 'accounting' && r.objectType === 'receipt')).toEqual({
      system: 'accounting',
      objectType: 'receipt',
      defaultYears: 7,
      overrideYears: 10,
    });
    expect((await upload(suite.kit.orgA.users.field)).file.retentionUntil).toBe(
      '2036-02-27T10:00:00.000Z',
    );
    expect((await upload(suite.kit.orgB.users.field)).file.retentionUntil).toBe(
      '2033-02-27T10:00:00.000Z',
    );
    await admin.compliance.retention.set({
      system: 'accounting',
      objectType: 'receipt',
      years: null,
    });
    expect((await upload(suite.kit.orgA.users.field)).file.retentionUntil).toBe(
      '2033-02-27T10:00:00.000Z',
    );
    const audit = await suite.kit.h.deps.db
      .selectFrom('audit_events')
      .select('details')
      .where('org_id', '=', suite.kit.orgA.orgId)
      .where('action', '=', 'RETENTION_POLICY_SET')
      .orderBy('seq')
      .execute();
    expect(audit.map((a) => (a.details as { years: number | null }).years)).toEqual([10, null]);
    const auditor = await suite.kit.as(suite.kit.orgA.users.auditor);
    expect((await auditor.compliance.retention.list()).length).toBe(rules.length);
    const office = await suite.kit.as(suite.kit.orgA.users.office);
    await expect(
      office.compliance.retention.set({ system: 'accounting', objectType: 'receipt', years: 1 }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });
});
