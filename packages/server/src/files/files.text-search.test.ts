// files.list's text filter: the rare part that drives the trigram scan, the same rows as a plain substring match, and the indexes' small pending list.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FileRow, Role } from '../db/schema.js';
import { DB_KINDS } from '../test/db.js';
import { createHarness, type Harness } from '../test/harness.js';
import { seedFile } from './files.test-kit.js';
import { containsPattern, rarePartOf } from './files.text-search.js';

describe('rarePartOf', () => {
  it.each([
    ['receipt-123457.jpg', '123457'],
    ['IMG_20260110_093012.HEIC', '20260110'],
    ['invoice INV2026-0042.pdf', 'INV2026'],
    ['Rechnung-Nr-4711-Größe.pdf', '4711'],
    ['a1b2 c3d4e5', 'c3d4e5'],
  ])('picks the longest letters-and-digits run with a digit in %s', (text, rare) => {
    expect(rarePartOf(text)).toBe(rare);
  });

  it.each([
    ['no digit', 'Blue Bottle'],
    ['runs shorter than a trigram', 'receipt-12.jpg'],
    ['the rare part is the whole text', '123457'],
    ['empty', ''],
  ])('has none: %s', (_why, text) => {
    expect(rarePartOf(text)).toBeNull();
  });

  it('takes %, _ and \\ literally in the pattern', () => {
    expect(containsPattern('taxi_100%\\x')).toBe('%taxi\\_100\\%\\\\x%');
  });
});

describe.each(DB_KINDS)('files.list text search on %s', (kind) => {
  let h: Harness;
  let org: Awaited<ReturnType<Harness['seedOrg']>>;
  const f: Record<string, FileRow> = {};

  beforeAll(async () => {
    h = await createHarness(kind);
    org = await h.seedOrg('text');
    const base = { orgId: org.orgId, uploadedBy: org.users.field.id };
    const at = (n: number) => new Date(Date.UTC(2026, 1, 10, 9, n));
    const files: [string, string, Record<string, string>][] = [
      ['exact', 'receipt-123457.jpg', {}],
      ['inside', 'old-RECEIPT-123457.JPG.pdf', {}],
      ['numberOnly', 'scan-123457.png', {}],
      ['longerNumber', 'receipt-1234570.jpg', {}],
      ['otherNumber', 'receipt-123458.jpg', {}],
      ['inVendor', 'photo.jpg', { vendor: 'Shop receipt-123457.jpg Ltd' }],
      ['numberInVendor', 'photo2.jpg', { vendor: 'Shop 123457', note: 'receipt' }],
      ['inNote', 'photo3.jpg', { note: 'see receipt-123457.jpg again' }],
    ];
    for (const [i, [name, filename, meta]] of files.entries()) {
      f[name] = await seedFile(h.deps, { ...base, filename, meta, receivedAt: at(i) });
    }
  });
  afterAll(async () => {
    await h.destroy();
  });

  const listed = async (role: Role, text: string) => {
    const caller = h.caller((await h.sessionFor(org.users[role])).session);
    const page = await caller.files.list({ filters: { text }, limit: 100 });
    return page.items.map((item) => Object.keys(f).find((k) => f[k]?.id === item.id));
  };

  it('finds exactly the files whose filename, vendor or note holds the whole text, any case', async () => {
    expect(await listed('office', 'receipt-123457.jpg')).toEqual([
      'inNote',
      'inVendor',
      'inside',
      'exact',
    ]);
    expect(await listed('office', 'Receipt-123457')).toEqual([
      'inNote',
      'inVendor',
      'longerNumber',
      'inside',
      'exact',
    ]);
    // The rare part alone matches more rows; the whole text decides.
    expect(await listed('office', '123457')).toEqual([
      'inNote',
      'numberInVendor',
      'inVendor',
      'longerNumber',
      'numberOnly',
      'inside',
      'exact',
    ]);
    expect(await listed('office', 'scan-123457')).toEqual(['numberOnly']);
    // Field staff search their own uploads only.
    expect(await listed('field', 'receipt-123457.jpg')).toHaveLength(4);
    expect(await listed('admin', 'receipt-123458.jpg')).toEqual(['otherNumber']);
  });

  it('counts what it lists', async () => {
    const caller = h.caller((await h.sessionFor(org.users.auditor)).session);
    expect(await caller.files.count({ filters: { text: 'receipt-123457.jpg' } })).toEqual({
      count: 4,
      capped: false,
    });
  });

  it('caps the trigram indexes’ pending list at 64 kB, which every search reads (PostgreSQL with pg_trgm)', async () => {
    const found = await sql<{ relname: string; reloptions: string[] | null }>`
      select relname, reloptions from pg_class
      where relname like 'files_%_trgm_idx' order by relname`.execute(h.test.db);
    if (kind === 'pglite') {
      // PGlite has no pg_trgm loaded: no trigram index, the migration changes nothing.
      expect(found.rows).toEqual([]);
      return;
    }
    expect(found.rows).toEqual(
      ['files_filename_trgm_idx', 'files_note_trgm_idx', 'files_vendor_trgm_idx'].map(
        (relname) => ({ relname, reloptions: ['gin_pending_list_limit=64'] }),
      ),
    );
  });
});
