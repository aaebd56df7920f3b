// One recordFileEvents call across orgs (uploads.complete's batch): each org's seqs gapless and in order, deliveries only to the event's own org.
import { describe, expect, it } from 'vitest';
import { DB_KINDS } from '../test/db.js';
import { seedFile } from '../files/files.test-kit.js';
import { useUploadKit } from '../uploads/uploads.test-kit.js';
import { latestFileEventSeq } from './events.repository.js';
import { deliveriesOf, withWebhooks } from './events.test-kit.js';
import { recordFileEvents } from './events.writer.js';

describe.each(DB_KINDS)('file events of several orgs in one statement on %s', (kind) => {
  const suite = useUploadKit(kind);
  /** One file seeded in each of the kit's two orgs, and the test database. */
  const fileInEachOrg = async () => {
    const { orgA, orgB, deps } = suite.kit;
    const a = await seedFile(deps, { orgId: orgA.orgId, uploadedBy: orgA.users.field.id });
    const b = await seedFile(deps, { orgId: orgB.orgId, uploadedBy: orgB.users.field.id });
    return { orgA, orgB, a, b, db: suite.kit.h.test.db };
  };

  it('interleaved orgs: each org counts on from its own newest seq, in the order given; rows come back in input order', async () => {
    const { orgA, orgB, a, b, db } = await fileInEachOrg();
    // Give org A a head start so the two orgs' seqs differ.
    await db
      .transaction()
      .execute((trx) => recordFileEvents(trx, [{ type: 'file.missing', file: a, at: new Date() }]));
    const startA = await latestFileEventSeq(db, orgA.orgId);
    const startB = await latestFileEventSeq(db, orgB.orgId);
    const at = new Date();
    const rows = await db.transaction().execute((trx) =>
      recordFileEvents(trx, [
        { type: 'file.deleted', file: a, at, details: { n: 1 } },
        { type: 'file.deleted', file: b, at, details: { n: 2 } },
        { type: 'file.restored', file: a, at, details: { n: 3 } },
        { type: 'file.restored', file: b, at, details: { n: 4 } },
      ]),
    );
    expect(rows.map((r) => [r.org_id, r.seq, r.type, (r.payload as { n: number }).n])).toEqual([
      [orgA.orgId, startA + 1, 'file.deleted', 1],
      [orgB.orgId, startB + 1, 'file.deleted', 2],
      [orgA.orgId, startA + 2, 'file.restored', 3],
      [orgB.orgId, startB + 2, 'file.restored', 4],
    ]);
    expect(await latestFileEventSeq(db, orgA.orgId)).toBe(startA + 2);
    expect(await latestFileEventSeq(db, orgB.orgId)).toBe(startB + 2);
  });

  it("a webhook gets deliveries of its own org's events only, enabled endpoints only", async () => {
    const { orgA, orgB, a, b, db } = await fileInEachOrg();
    const hooksWanted = [
      { orgId: orgA.orgId, enabled: true },
      { orgId: orgB.orgId, enabled: true },
      { orgId: orgB.orgId, enabled: false },
    ];
    await withWebhooks(db, hooksWanted, async (hooks) => {
      const at = new Date();
      const rows = await db.transaction().execute((trx) =>
        recordFileEvents(trx, [
          { type: 'file.deleted', file: a, at },
          { type: 'file.deleted', file: b, at },
          { type: 'file.restored', file: b, at },
        ]),
      );
      const deliveries = await deliveriesOf(
        db,
        rows.map((r) => r.id),
      );
      const hookOf = (org: string) => hooks.find((h) => h.enabled && h.org_id === org)?.id;
      const expected = rows.map((r) => [r.id, hookOf(r.org_id), r.org_id]);
      expect(deliveries.map((d) => [d.event_id, d.webhook_id, d.org_id]).sort()).toEqual(
        expected.sort(),
      );
    });
  });
});
