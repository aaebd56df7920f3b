// The events outbox: each change writes its event in the same transaction (and only then), seqs gapless per org in commit order.
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { DB_KINDS } from '../test/db.js';
import { expectCode } from '../test/expect-error.js';
import { seedFile } from '../files/files.test-kit.js';
import {
  beginInput,
  expectState,
  jpegBytes,
  put,
  useUploadKit,
} from '../uploads/uploads.test-kit.js';
import { listFileEventsAfter } from './events.repository.js';
import { deliveriesOf, withWebhooks } from './events.test-kit.js';
import { recordFileEvent, recordFileEvents, toFileEvent } from './events.writer.js';

describe.each(DB_KINDS)('file events on %s', (kind) => {
  const suite = useUploadKit(kind, {
    field: (kit) => kit.orgA.users.field,
    admin: (kit) => kit.orgA.users.admin,
  });
  const eventsOf = async (fileId: string) =>
    (
      await suite.kit.h.test.db
        .selectFrom('file_events')
        .selectAll()
        .where('file_id', '=', fileId)
        .orderBy('seq')
        .execute()
    ).map(toFileEvent);
  const seed = (options: Parameters<typeof seedFile>[1] extends infer O ? Partial<O> : never) =>
    seedFile(suite.kit.deps, {
      orgId: suite.kit.orgA.orgId,
      uploadedBy: suite.kit.orgA.users.field.id,
      ...options,
    });

  it('uploads.complete writes file.uploaded + file.verified; delete, restore and purge theirs', async () => {
    const bytes = jpegBytes(2000);
    const begun = expectState(await suite.field.uploads.begin(beginInput(bytes)), 'single');
    await put(begun.put, bytes);
    const done = await suite.field.uploads.complete({ sessionId: begun.sessionId });
    // Retention would refuse the purge; this test is about events, not retention.
    await suite.kit.h.test.db
      .updateTable('files')
      .set({ retention_until: null })
      .where('id', '=', done.file.id)
      .execute();
    await suite.admin.files.delete({ id: done.file.id, reason: 'twice' });
    await suite.admin.files.restore({ id: done.file.id });
    await suite.admin.files.delete({ id: done.file.id });
    await suite.admin.files.purge({ id: done.file.id });
    const events = await eventsOf(done.file.id);
    expect(events.map((e) => e.type)).toEqual([
      'file.uploaded',
      'file.verified',
      'file.deleted',
      'file.restored',
      'file.deleted',
      'file.purged',
    ]);
    expect(events[1]).toMatchObject({
      orgId: suite.kit.orgA.orgId,
      fileId: done.file.id,
      payload: { status: 'verified', sha256: done.file.sha256, objectId: 'exp-1' },
    });
    expect(events[2]?.payload).toMatchObject({ status: 'deleted', reason: 'twice' });
    // uuidv7 ids, seqs strictly increasing.
    expect(events.every((e) => /^[0-9a-f]{8}-[0-9a-f]{4}-7/.test(e.id))).toBe(true);
    const seqs = events.map((e) => e.seq);
    expect([...seqs].sort((a, b) => a - b)).toEqual(seqs);
  });

  it('a mismatch writes file.uploaded + file.mismatch with the actual digest', async () => {
    const bytes = jpegBytes(2000);
    const input = beginInput(bytes);
    const begun = expectState(await suite.field.uploads.begin(input), 'single');
    const tampered = jpegBytes(2000);
    await put(begun.put, bytes);
    const row = await suite.kit.h.test.db
      .selectFrom('files')
      .selectAll()
      .where('capture_id', '=', input.captureId)
      .executeTakeFirstOrThrow();
    await suite.kit.store.delete(row.key);
    await suite.kit.store.putObject(row.key, tampered, { contentType: 'image/jpeg' });
    const out = await suite.field.uploads.complete({ sessionId: begun.sessionId });
    expect(out.state).toBe('mismatch');
    const events = await eventsOf(row.id);
    expect(events.map((e) => e.type)).toEqual(['file.uploaded', 'file.mismatch']);
    expect(events[1]?.payload).toMatchObject({ status: 'mismatch', originalKey: row.key });
    expect(events[1]?.payload.actualSha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('no event when the change fails (audit write refused → rolled back together)', async () => {
    const file = await seed({});
    await sql`create function fv_test_refuse() returns trigger language plpgsql as $$
      begin raise exception 'audit store unavailable'; end $$`.execute(suite.kit.h.test.db);
    await sql`create trigger fv_test_refuse before insert on audit_events
      for each row execute function fv_test_refuse()`.execute(suite.kit.h.test.db);
    try {
      await expectCode(suite.admin.files.delete({ id: file.id }), 'INTERNAL');
    } finally {
      await sql`drop trigger fv_test_refuse on audit_events`.execute(suite.kit.h.test.db);
      await sql`drop function fv_test_refuse()`.execute(suite.kit.h.test.db);
    }
    expect(await eventsOf(file.id)).toEqual([]);
  });

  it('recordFileEvent (jobs: file.missing) rolls back with its transaction', async () => {
    const file = await seed({});
    await suite.kit.h.test.db
      .transaction()
      .execute(async (trx) => {
        await recordFileEvent(trx, { type: 'file.missing', file, at: new Date() });
        throw new Error('job failed');
      })
      .catch(() => undefined);
    expect(await eventsOf(file.id)).toEqual([]);
    await suite.kit.h.test.db.transaction().execute(async (trx) => {
      await recordFileEvent(trx, {
        type: 'file.missing',
        file,
        at: new Date(),
        details: { job: 'reconcile' },
      });
    });
    expect((await eventsOf(file.id)).map((e) => [e.type, e.payload.job])).toEqual([
      ['file.missing', 'reconcile'],
    ]);
  });

  it('recordFileEvents: one batch gets consecutive seqs and a delivery per event and enabled webhook', async () => {
    const file = await seed({});
    const { orgA, orgB } = suite.kit;
    const hooksWanted = [
      { orgId: orgA.orgId, enabled: true },
      { orgId: orgA.orgId, enabled: false },
      { orgId: orgB.orgId, enabled: true },
    ];
    await withWebhooks(suite.kit.h.test.db, hooksWanted, async (hooks) => {
      const rows = await suite.kit.h.test.db.transaction().execute((trx) =>
        recordFileEvents(trx, [
          { type: 'file.missing', file, at: new Date(), details: { n: 1 } },
          { type: 'file.restored', file, at: new Date(), details: { n: 2 } },
        ]),
      );
      expect(rows.map((r) => r.seq)).toEqual([rows[0]?.seq, (rows[0]?.seq ?? 0) + 1]);
      expect((await eventsOf(file.id)).map((e) => [e.type, e.payload.n])).toEqual([
        ['file.missing', 1],
        ['file.restored', 2],
      ]);
      const deliveries = await deliveriesOf(
        suite.kit.h.test.db,
        rows.map((r) => r.id),
      );
      const enabledA = hooks.find((h) => h.enabled && h.org_id === orgA.orgId)?.id;
      expect(deliveries.map((d) => [d.webhook_id, d.org_id]).sort()).toEqual([
        [enabledA, orgA.orgId],
        [enabledA, orgA.orgId],
      ]);
      expect(new Set(deliveries.map((d) => d.event_id))).toEqual(new Set(rows.map((r) => r.id)));
    });
  });

  it('concurrent changes in one org get gapless seqs; another org counts on its own', async () => {
    const files = await Promise.all(Array.from({ length: 12 }, () => seed({})));
    const before = await suite.kit.h.test.db
      .selectFrom('file_events')
      .select((eb) => eb.fn.max<number>('seq').as('seq'))
      .where('org_id', '=', suite.kit.orgA.orgId)
      .executeTakeFirstOrThrow();
    await Promise.all(files.map((f) => suite.admin.files.delete({ id: f.id })));
    const rows = await listFileEventsAfter(suite.kit.h.test.db, {
      orgId: suite.kit.orgA.orgId,
      afterSeq: Number(before.seq ?? 0),
      limit: 100,
    });
    const start = Number(before.seq ?? 0);
    expect(rows.map((r) => r.seq)).toEqual(files.map((_, i) => start + i + 1));
    const other = await seedFile(suite.kit.deps, {
      orgId: suite.kit.orgB.orgId,
      uploadedBy: suite.kit.orgB.users.field.id,
    });
    await (await suite.kit.as(suite.kit.orgB.users.office)).files.delete({ id: other.id });
    expect((await eventsOf(other.id)).map((e) => [e.seq, e.orgId])).toEqual([
      [1, suite.kit.orgB.orgId],
    ]);
  });
});
