// The events outbox: each change writes its event in the same transaction (and only then), seqs gapless per org in commit order.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DB_KINDS } from '../test/db.js';
import { expectCode } from '../test/expect-error.js';
import { seedFile } from '../files/files.test-kit.js';
import {
  beginInput,
  createUploadKit,
  expectState,
  jpegBytes,
  put,
  type Caller,
  type UploadKit,
} from '../uploads/uploads.test-kit.js';
import { listFileEventsAfter } from './events.repository.js';
import { recordFileEvent, recordFileEvents, toFileEvent } from './events.writer.js';

describe.each(DB_KINDS)('file events on %s', (kind) => {
  let kit: UploadKit;
  let field: Caller;
  let admin: Caller;
  const eventsOf = async (fileId: string) =>
    (
      await kit.h.test.db
        .selectFrom('file_events')
        .selectAll()
        .where('file_id', '=', fileId)
        .orderBy('seq')
        .execute()
    ).map(toFileEvent);
  const seed = (options: Parameters<typeof seedFile>[1] extends infer O ? Partial<O> : never) =>
    seedFile(kit.deps, { orgId: kit.orgA.orgId, uploadedBy: kit.orgA.users.field.id, ...options });

  beforeAll(async () => {
    kit = await createUploadKit(kind);
    field = await kit.as(kit.orgA.users.field);
    admin = await kit.as(kit.orgA.users.admin);
  });
  afterAll(async () => {
    await kit.destroy();
  });

  it('uploads.complete writes file.uploaded + file.verified; delete, restore and purge theirs', async () => {
    const bytes = jpegBytes(2000);
    const begun = expectState(await field.uploads.begin(beginInput(bytes)), 'single');
    await put(begun.put, bytes);
    const done = await field.uploads.complete({ sessionId: begun.sessionId });
    // Retention would refuse the purge; this test is about events, not retention.
    await kit.h.test.db
      .updateTable('files')
      .set({ retention_until: null })
      .where('id', '=', done.file.id)
      .execute();
    await admin.files.delete({ id: done.file.id, reason: 'twice' });
    await admin.files.restore({ id: done.file.id });
    await admin.files.delete({ id: done.file.id });
    await admin.files.purge({ id: done.file.id });
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
      orgId: kit.orgA.orgId,
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
    const begun = expectState(await field.uploads.begin(input), 'single');
    const tampered = jpegBytes(2000);
    await put(begun.put, bytes);
    const row = await kit.h.test.db
      .selectFrom('files')
      .selectAll()
      .where('capture_id', '=', input.captureId)
      .executeTakeFirstOrThrow();
    await kit.store.delete(row.key);
    await kit.store.putObject(row.key, tampered, { contentType: 'image/jpeg' });
    const out = await field.uploads.complete({ sessionId: begun.sessionId });
    expect(out.state).toBe('mismatch');
    const events = await eventsOf(row.id);
    expect(events.map((e) => e.type)).toEqual(['file.uploaded', 'file.mismatch']);
    expect(events[1]?.payload).toMatchObject({ status: 'mismatch', originalKey: row.key });
    expect(events[1]?.payload.actualSha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('no event when the change fails (audit write refused → rolled back together)', async () => {
    const file = await seed({});
    await sql`create function fv_test_refuse() returns trigger language plpgsql as $$
      begin raise exception 'audit store unavailable'; end $$`.execute(kit.h.test.db);
    await sql`create trigger fv_test_refuse before insert on audit_events
      for each row execute function fv_test_refuse()`.execute(kit.h.test.db);
    try {
      await expectCode(admin.files.delete({ id: file.id }), 'INTERNAL');
    } finally {
      await sql`drop trigger fv_test_refuse on audit_events`.execute(kit.h.test.db);
      await sql`drop function fv_test_refuse()`.execute(kit.h.test.db);
    }
    expect(await eventsOf(file.id)).toEqual([]);
  });

  it('recordFileEvent (jobs: file.missing) rolls back with its transaction', async () => {
    const file = await seed({});
    await kit.h.test.db
      .transaction()
      .execute(async (trx) => {
        await recordFileEvent(trx, { type: 'file.missing', file, at: new Date() });
        throw new Error('job failed');
      })
      .catch(() => undefined);
    expect(await eventsOf(file.id)).toEqual([]);
    await kit.h.test.db.transaction().execute(async (trx) => {
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
    const hooks = await kit.h.test.db
      .insertInto('webhooks')
      .values([
        { org_id: kit.orgA.orgId, url: 'https://a.example/hook', secret: 's', enabled: true },
        { org_id: kit.orgA.orgId, url: 'https://b.example/hook', secret: 's', enabled: false },
        { org_id: kit.orgB.orgId, url: 'https://c.example/hook', secret: 's', enabled: true },
      ])
      .returning(['id', 'enabled', 'org_id'])
      .execute();
    try {
      const rows = await kit.h.test.db.transaction().execute((trx) =>
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
      const deliveries = await kit.h.test.db
        .selectFrom('webhook_deliveries')
        .select(['webhook_id', 'event_id', 'org_id'])
        .where(
          'event_id',
          'in',
          rows.map((r) => r.id),
        )
        .execute();
      const enabledA = hooks.find((h) => h.enabled && h.org_id === kit.orgA.orgId)?.id;
      expect(deliveries.map((d) => [d.webhook_id, d.org_id]).sort()).toEqual([
        [enabledA, kit.orgA.orgId],
        [enabledA, kit.orgA.orgId],
      ]);
      expect(new Set(deliveries.map((d) => d.event_id))).toEqual(new Set(rows.map((r) => r.id)));
    } finally {
      const ids = hooks.map((h) => h.id);
      await kit.h.test.db.deleteFrom('webhook_deliveries').where('webhook_id', 'in', ids).execute();
      await kit.h.test.db.deleteFrom('webhooks').where('id', 'in', ids).execute();
    }
  });

  it('concurrent changes in one org get gapless seqs; another org counts on its own', async () => {
    const files = await Promise.all(Array.from({ length: 12 }, () => seed({})));
    const before = await kit.h.test.db
      .selectFrom('file_events')
      .select((eb) => eb.fn.max<number>('seq').as('seq'))
      .where('org_id', '=', kit.orgA.orgId)
      .executeTakeFirstOrThrow();
    await Promise.all(files.map((f) => admin.files.delete({ id: f.id })));
    const rows = await listFileEventsAfter(kit.h.test.db, {
      orgId: kit.orgA.orgId,
      afterSeq: Number(before.seq ?? 0),
      limit: 100,
    });
    const start = Number(before.seq ?? 0);
    expect(rows.map((r) => r.seq)).toEqual(files.map((_, i) => start + i + 1));
    const other = await seedFile(kit.deps, {
      orgId: kit.orgB.orgId,
      uploadedBy: kit.orgB.users.field.id,
    });
    await (await kit.as(kit.orgB.users.office)).files.delete({ id: other.id });
    expect((await eventsOf(other.id)).map((e) => [e.seq, e.orgId])).toEqual([[1, kit.orgB.orgId]]);
  });
});
