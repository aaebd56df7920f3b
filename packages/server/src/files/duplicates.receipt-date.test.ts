// The receipt date: carried by uploads.begin into a generated column, returned by files.get/list, and the day the possible-duplicate rule compares.
import { TRPCError } from '@trpc/server';
import { fieldErrors } from '@fieldvault/shared/schemas';
import { sql } from 'kysely';
import { ZodError } from 'zod';
import { describe, expect, it } from 'vitest';
import { DB_KINDS } from '../test/db.js';
import {
  beginInput,
  expectState,
  jpegBytes,
  put,
  useUploadKit,
} from '../uploads/uploads.test-kit.js';
import { seedFile } from './files.test-kit.js';

const MONDAY = new Date('2026-03-02T09:00:00.000Z');
const FRIDAY = new Date('2026-03-06T18:00:00.000Z');

describe.each(DB_KINDS)('receipt date on %s', (kind) => {
  const suite = useUploadKit(kind, {
    field: (kit) => kit.orgA.users.field,
    office: (kit) => kit.orgA.users.office,
  });

  const seed = (meta: Record<string, string>, capturedAt: Date) =>
    seedFile(suite.kit.h.deps, {
      orgId: suite.kit.orgA.orgId,
      uploadedBy: suite.kit.orgA.users.field.id,
      capturedAt,
      meta,
    });
  const column = async (id: string) =>
    (
      await sql<{
        day: string | null;
      }>`select to_char(receipt_date, 'YYYY-MM-DD') as day from files where id = ${id}`.execute(
        suite.kit.h.test.db,
      )
    ).rows[0]?.day;

  it('uploads.begin carries it to the stored column, and files.get and files.list return it', async () => {
    const bytes = jpegBytes(50_000);
    const input = beginInput(bytes, {
      objectId: 'exp-receipt-date',
      meta: { vendor: 'Bakery', amount: '3.20', receiptDate: '2026-02-26' },
    });
    const begun = expectState(await suite.field.uploads.begin(input), 'single');
    expect((await put(begun.put, bytes)).status).toBe(200);
    const done = await suite.field.uploads.complete({ sessionId: begun.sessionId });
    expect(done.file.receiptDate).toBe('2026-02-26');
    expect(await column(done.file.id)).toBe('2026-02-26');
    expect((await suite.office.files.get({ id: done.file.id })).receiptDate).toBe('2026-02-26');
    const page = await suite.office.files.list({ filters: { objectId: 'exp-receipt-date' } });
    expect(page.items.map((f) => f.receiptDate)).toEqual(['2026-02-26']);
  });

  it('a capture without a receipt date has null, in the column and on the wire', async () => {
    const row = await seed({ vendor: 'Kiosk', amount: '1.00' }, MONDAY);
    expect(await column(row.id)).toBeNull();
    expect((await suite.office.files.get({ id: row.id })).receiptDate).toBeNull();
  });

  it('uploads.begin refuses a malformed or future receipt date, naming the field', async () => {
    for (const receiptDate of ['2026-02-30', '26-02-2026', '2999-01-01']) {
      const input = beginInput(jpegBytes(1_000), { meta: { receiptDate } });
      const error: unknown = await suite.field.uploads.begin(input).then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(TRPCError);
      const cause = (error as TRPCError).cause;
      expect(cause).toBeInstanceOf(ZodError);
      expect(Object.keys(fieldErrors(cause as ZodError))).toEqual(['meta.receiptDate']);
    }
  });

  it('possible duplicates compare the receipt date when given, else the capture day', async () => {
    const vendor = { vendor: 'Tankstelle Nord', amount: '61.30' };
    // Photographed on Monday and again on Friday: the same receipt by its printed date.
    const first = await seed({ ...vendor, receiptDate: '2026-03-01' }, MONDAY);
    const again = await seed({ ...vendor, receiptDate: '2026-03-01' }, FRIDAY);
    // Captured the same Monday as `first`, but a different receipt (another printed day).
    const sameCaptureDay = await seed({ ...vendor, receiptDate: '2026-02-27' }, MONDAY);
    // No receipt date, captured on 2026-03-01: its capture day equals the others' receipt date.
    const undated = await seed(vendor, new Date('2026-03-01T12:00:00.000Z'));

    const possible = async (id: string) =>
      ((await suite.office.files.get({ id })).duplicates?.possible ?? []).map((d) => d.id).sort();
    expect(await possible(first.id)).toEqual([again.id, undated.id].sort());
    expect(await possible(again.id)).toEqual([first.id, undated.id].sort());
    expect(await possible(sameCaptureDay.id)).toEqual([]);
    const listed = await suite.office.files.list({ filters: { duplicatesOnly: true } });
    const ids = listed.items.map((f) => f.id);
    expect(ids).toEqual(expect.arrayContaining([first.id, again.id, undated.id]));
    expect(ids).not.toContain(sameCaptureDay.id);
  });
});
