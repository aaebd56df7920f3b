// files.get/downloadUrl/delete/restore/purge: effects, audit rows in the same transaction, retention, bytes over HTTP, org isolation.
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { FileRow, Role } from '../db/schema.js';
import { DB_KINDS } from '../test/db.js';
import { caught, expectCode } from '../test/expect-error.js';
import { createHarness, type Harness } from '../test/harness.js';
import { markFileVerdict } from './files.repository.js';
import { seedFile, type SeedFileOptions } from './files.test-kit.js';

type Org = Awaited<ReturnType<Harness['seedOrg']>>;
type Caller = ReturnType<Harness['caller']>;
const YEAR_MS = 365 * 24 * 3600 * 1000;

describe.each(DB_KINDS)('files on %s', (kind) => {
  let h: Harness;
  let org: Org;
  let other: Org;
  const as = async (o: Org, role: Role): Promise<Caller> =>
    h.caller((await h.sessionFor(o.users[role])).session);
  const seed = (options: Partial<SeedFileOptions> = {}) =>
    seedFile(h.deps, { orgId: org.orgId, uploadedBy: org.users.field.id, ...options });
  const auditOf = (fileId: string) =>
    h.test.db
      .selectFrom('audit_events')
      .selectAll()
      .where('target_file_id', '=', fileId)
      .orderBy('org_id')
      .orderBy('seq')
      .execute();
  const rowOf = (id: string) =>
    h.test.db.selectFrom('files').selectAll().where('id', '=', id).executeTakeFirst();

  beforeAll(async () => {
    h = await createHarness(kind);
    org = await h.seedOrg('files');
    other = await h.seedOrg('files-other');
  });
  afterAll(async () => {
    await h.destroy();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  describe('files.get', () => {
    it('returns the record to every reader; field staff only their own uploads', async () => {
      const mine = await seed();
      const theirs = await seed({ uploadedBy: org.users.office.id });
      for (const role of ['office', 'admin', 'auditor'] as const) {
        expect(await (await as(org, role)).files.get({ id: theirs.id })).toMatchObject({
          id: theirs.id,
          orgId: org.orgId,
          status: 'verified',
          sha256: theirs.sha256,
        });
      }
      const field = await as(org, 'field');
      expect((await field.files.get({ id: mine.id })).id).toBe(mine.id);
      await expectCode(field.files.get({ id: theirs.id }), 'NOT_FOUND');
    });
  });

  describe('files.downloadUrl', () => {
    const bytes = new TextEncoder().encode('%PDF-1.7 a receipt worth keeping');

    it('issues a 5-minute URL by default, audited, that serves the bytes until it expires', async () => {
      const file = await seed({
        bytes,
        filename: 'Lunch receipt.pdf',
        contentType: 'application/pdf',
      });
      const office = await as(org, 'office');
      const before = Date.now();
      const got = await office.files.downloadUrl({ id: file.id });
      expect(got).toMatchObject({
        method: 'GET',
        disposition: 'attachment',
        filename: file.safe_filename,
      });
      const lifetime = Date.parse(got.expiresAt) - before;
      expect(lifetime).toBeGreaterThan(295_000);
      expect(lifetime).toBeLessThanOrEqual(301_000);

      const [event, ...more] = await auditOf(file.id);
      expect(more).toEqual([]);
      expect(event).toMatchObject({
        org_id: org.orgId,
        action: 'DOWNLOAD_URL_ISSUED',
        actor_user_id: org.users.office.id,
        actor_role: 'office',
        target_key: file.key,
        capture_id: file.capture_id,
        ip: '203.0.113.7',
        user_agent: 'vitest',
        success: true,
        details: { disposition: 'attachment', expiresIn: 300 },
      });

      const app = await h.http();
      const url = new URL(got.url);
      const res = await app.inject({ method: 'GET', url: url.pathname + url.search });
      expect(res.statusCode).toBe(200);
      expect(res.rawPayload.equals(Buffer.from(bytes))).toBe(true);
      expect(res.headers['content-type']).toContain('application/pdf');
      expect(res.headers['content-disposition']).toContain('attachment');

      vi.useFakeTimers({ toFake: ['Date'] });
      vi.setSystemTime(before + 302_000);
      const late = await app.inject({ method: 'GET', url: url.pathname + url.search });
      expect(late.statusCode).toBe(403);
    });

    it('honours expiresIn up to 15 minutes and inline only for types browsers show safely', async () => {
      const pdf = await seed({ contentType: 'application/pdf', filename: 'scan.pdf' });
      const zip = await seed({
        system: 'app-builder',
        objectType: 'app-zip',
        contentType: 'application/zip',
        filename: 'app.zip',
      });
      const auditor = await as(org, 'auditor');
      const before = Date.now();
      const long = await auditor.files.downloadUrl({
        id: pdf.id,
        expiresIn: 900,
        disposition: 'inline',
      });
      expect(Date.parse(long.expiresAt) - before).toBeGreaterThan(895_000);
      expect(Date.parse(long.expiresAt) - before).toBeLessThanOrEqual(901_000);
      expect(long.disposition).toBe('inline');
      const forced = await auditor.files.downloadUrl({ id: zip.id, disposition: 'inline' });
      expect(forced.disposition).toBe('attachment');
      expect((await auditOf(zip.id))[0]?.details).toMatchObject({ disposition: 'attachment' });
      const error = await expectCode(
        auditor.files.downloadUrl({ id: pdf.id, expiresIn: 901 }),
        'BAD_INPUT',
      );
      expect(error.data.fieldErrors).toHaveProperty('expiresIn');
      expect(await auditOf(pdf.id)).toHaveLength(1);
    });

    it('refuses files that are not verified, writing nothing', async () => {
      const office = await as(org, 'office');
      for (const status of ['pending', 'mismatch', 'deleted'] as const) {
        const file = await seed({ status });
        const error = await expectCode(office.files.downloadUrl({ id: file.id }), 'CONFLICT');
        expect(error.data.details).toEqual({ status });
        expect(await auditOf(file.id)).toEqual([]);
      }
    });

    it('gives no URL when the audit write fails', async () => {
      const file = await seed();
      const presign = vi.spyOn(h.deps.store, 'presignGet');
      await sql`create function fv_test_refuse() returns trigger language plpgsql as $$
        begin raise exception 'audit store unavailable'; end $$`.execute(h.test.db);
      await sql`create trigger fv_test_refuse before insert on audit_events
        for each row execute function fv_test_refuse()`.execute(h.test.db);
      try {
        await expectCode((await as(org, 'office')).files.downloadUrl({ id: file.id }), 'INTERNAL');
      } finally {
        await sql`drop trigger fv_test_refuse on audit_events`.execute(h.test.db);
        await sql`drop function fv_test_refuse()`.execute(h.test.db);
      }
      expect(presign).not.toHaveBeenCalled();
      expect(await auditOf(file.id)).toEqual([]);
    });
  });

  describe('lifecycle', () => {
    it('soft-deletes and restores, each audited once; repeats change nothing', async () => {
      const file = await seed();
      const office = await as(org, 'office');
      const deleted = await office.files.delete({ id: file.id, reason: 'photographed twice' });
      expect(deleted).toMatchObject({ status: 'deleted', version: file.version + 1 });
      expect(deleted.deletedAt).not.toBeNull();
      expect(await rowOf(file.id)).toMatchObject({
        status: 'deleted',
        deleted_by: org.users.office.id,
      });
      expect((await office.files.list()).items.map((i) => i.id)).not.toContain(file.id);
      expect(await office.files.delete({ id: file.id })).toEqual(deleted);

      const restored = await (await as(org, 'admin')).files.restore({ id: file.id });
      expect(restored).toMatchObject({
        status: 'verified',
        deletedAt: null,
        version: file.version + 2,
      });
      expect(await office.files.restore({ id: file.id })).toEqual(restored);

      const events = await auditOf(file.id);
      expect(events.map((e) => [e.action, e.actor_role, e.success])).toEqual([
        ['FILE_DELETED', 'office', true],
        ['FILE_RESTORED', 'admin', true],
      ]);
      expect(events[0]?.details).toEqual({
        previousStatus: 'verified',
        reason: 'photographed twice',
      });
    });

    it('restores a deleted mismatch record as mismatch; an upload in progress cannot be deleted', async () => {
      const office = await as(org, 'office');
      const bad = await seed({ status: 'mismatch' });
      await office.files.delete({ id: bad.id });
      expect((await office.files.restore({ id: bad.id })).status).toBe('mismatch');
      // The same capture uploaded again after the mismatch: two live rows for one capture may not exist.
      const evidence = await seed({ status: 'mismatch' });
      await seed({ captureId: evidence.capture_id });
      await expectCode(office.files.delete({ id: evidence.id }), 'CONFLICT');
      expect((await rowOf(evidence.id))?.status).toBe('mismatch');
      const pending = await seed({ status: 'pending' });
      await expectCode(office.files.delete({ id: pending.id }), 'CONFLICT');
      expect(await auditOf(pending.id)).toEqual([]);
    });

    it('restores a file to the status it was deleted from, never to verified by its verified_at; a purged file cannot be deleted', async () => {
      const office = await as(org, 'office');
      const admin = await as(org, 'admin');
      // Verified once, then found corrupted by a re-hash (verified_at stays) or missing by reconciliation.
      const corrupted = await seed();
      await markFileVerdict(h.test.db, { id: corrupted.id, ok: false, at: h.clock.now() });
      const missing = await seed();
      await h.test.db
        .updateTable('files')
        .set({ status: 'missing' })
        .where('id', '=', missing.id)
        .execute();
      for (const [file, status] of [
        [corrupted, 'mismatch'],
        [missing, 'missing'],
      ] as const) {
        expect((await rowOf(file.id))?.verified_at).not.toBeNull();
        await office.files.delete({ id: file.id });
        expect(await rowOf(file.id)).toMatchObject({ status: 'deleted', deleted_from: status });
        const restored = await admin.files.restore({ id: file.id });
        expect(restored.status).toBe(status);
        expect(await rowOf(file.id)).toMatchObject({ status, deleted_from: null });
        await expectCode(office.files.downloadUrl({ id: file.id }), 'CONFLICT');
      }

      const purged = await seed({ status: 'mismatch' });
      await admin.files.purge({ id: purged.id });
      const before = await rowOf(purged.id);
      const audits = (await auditOf(purged.id)).length;
      const refused = await expectCode(office.files.delete({ id: purged.id }), 'CONFLICT');
      expect(refused.message).toMatch(/purged/);
      expect(await rowOf(purged.id)).toEqual(before);
      expect(await auditOf(purged.id)).toHaveLength(audits);
      expect((await admin.files.restore({ id: purged.id })).status).toBe('purged');
    });

    it('purges only after delete and outside retention; the refusal is audited too', async () => {
      const bytes = new TextEncoder().encode('kept for seven years');
      const now = h.clock.now();
      const file = await seed({ bytes, retentionUntil: new Date(now.getTime() + YEAR_MS) });
      const twin = await seed({ duplicateOf: file.id });
      const admin = await as(org, 'admin');
      await expectCode(admin.files.purge({ id: file.id }), 'CONFLICT');

      await admin.files.delete({ id: file.id });
      const refusal = await expectCode(admin.files.purge({ id: file.id }), 'RETENTION_LOCKED');
      expect(refusal.data.details).toEqual({ retentionUntil: file.retention_until?.toISOString() });
      expect(await rowOf(file.id)).toBeDefined();
      expect(await h.deps.store.head(file.key)).not.toBeNull();

      h.clock.advance(YEAR_MS + 1000);
      expect(await admin.files.purge({ id: file.id })).toEqual({
        id: file.id,
        purgedAt: h.clock.now().toISOString(),
      });
      // The record stays as a tombstone (as the purge job leaves it); the bytes are gone.
      expect(await rowOf(file.id)).toMatchObject({ status: 'purged', purged_at: h.clock.now() });
      expect(await h.deps.store.head(file.key)).toBeNull();
      expect((await rowOf(twin.id))?.duplicate_of).toBeNull();
      expect(await admin.files.get({ id: file.id })).toMatchObject({ status: 'purged' });

      const events = await auditOf(file.id);
      expect(events.map((e) => [e.action, e.success, e.error_code])).toEqual([
        ['FILE_DELETED', true, null],
        ['FILE_PURGED', false, 'RETENTION_LOCKED'],
        ['FILE_PURGED', true, null],
      ]);
      expect(events[2]).toMatchObject({
        target_key: file.key,
        details: { sha256: file.sha256, size: file.size, status: 'deleted' },
      });
    });

    it('keeps the row (and writes no FILE_PURGED) when storage fails to delete; a retry finishes', async () => {
      const file = await seed({ status: 'deleted', bytes: new TextEncoder().encode('stubborn') });
      const admin = await as(org, 'admin');
      const remove = vi
        .spyOn(h.deps.store, 'purge')
        .mockRejectedValueOnce(new Error('storage down'));
      await expectCode(admin.files.purge({ id: file.id }), 'INTERNAL');
      expect(remove).toHaveBeenCalledWith(file.key);
      expect((await rowOf(file.id))?.status).toBe('deleted');
      expect(await auditOf(file.id)).toEqual([]);
      await admin.files.purge({ id: file.id });
      expect((await rowOf(file.id))?.status).toBe('purged');
      expect(await h.deps.store.head(file.key)).toBeNull();
    });

    it('purges a mismatch record directly', async () => {
      const bad = await seed({ status: 'mismatch' });
      await (await as(org, 'admin')).files.purge({ id: bad.id });
      expect((await rowOf(bad.id))?.status).toBe('purged');
    });
  });

  describe('org isolation', () => {
    it("answers NOT_FOUND for another org's file on every procedure, exactly as for no file, changing nothing", async () => {
      const target: FileRow = await seed({ status: 'deleted' });
      const verified = await seed();
      const before = [await rowOf(target.id), await rowOf(verified.id)];
      const count = async () =>
        (await h.test.db.selectFrom('audit_events').select('seq').execute()).length;
      const audits = await count();
      const intruder = await as(other, 'admin');
      const calls = (id: string, live: string) => [
        intruder.files.get({ id: live }),
        intruder.files.downloadUrl({ id: live }),
        intruder.files.delete({ id: live }),
        intruder.files.restore({ id }),
        intruder.files.purge({ id }),
      ];
      const foreign = await Promise.all(calls(target.id, verified.id).map((p) => caught(p)));
      const missing = await Promise.all(calls(randomUUID(), randomUUID()).map((p) => caught(p)));
      expect(foreign.map((e) => e.code)).toEqual(Array(5).fill('NOT_FOUND'));
      expect(foreign).toEqual(missing);
      expect((await intruder.files.list()).items.map((i) => i.orgId)).not.toContain(org.orgId);
      expect([await rowOf(target.id), await rowOf(verified.id)]).toEqual(before);
      expect(await count()).toBe(audits);
    });
  });

  it('leaves a chain that verifies after all of the above', async () => {
    const result = await (await as(org, 'auditor')).audit.verify();
    expect(result).toMatchObject({ ok: true, firstBreak: null });
    expect(result.checked).toBeGreaterThan(10);
  });
});
