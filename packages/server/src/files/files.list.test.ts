// files.list: every filter, field staff scoped to their uploads, org isolation, keyset pages stable under concurrent inserts.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FileRow, Role } from '../db/schema.js';
import { DB_KINDS } from '../test/db.js';
import { expectCode } from '../test/expect-error.js';
import { createHarness, type Harness } from '../test/harness.js';
import { seedFile, type SeedFileOptions } from './files.test-kit.js';
import { decodeFilesCursor, encodeFilesCursor } from './files.cursor.js';
import { countFilesUpTo, microsToIso } from './files.repository.js';

type Org = Awaited<ReturnType<Harness['seedOrg']>>;
type Caller = ReturnType<Harness['caller']>;

const minute = (n: number) => new Date(Date.UTC(2026, 1, 10, 9, n));

describe('files cursors', () => {
  it('round-trip microsecond positions and refuse anything else', () => {
    const c = {
      sort: 'received' as const,
      keyUs: 1_770_000_000_123_456,
      id: '0b9a2c1e-7f00-4a1b-9c3d-2e4f5a6b7c8d',
    };
    expect(decodeFilesCursor(encodeFilesCursor(c))).toEqual(c);
    const captured = { ...c, sort: 'captured' as const };
    expect(decodeFilesCursor(encodeFilesCursor(captured))).toEqual(captured);
    // Cursors issued before the captured sort existed still name a received position.
    const legacy = `f1.${Buffer.from(`${c.keyUs}.${c.id}`).toString('base64url')}`;
    expect(decodeFilesCursor(legacy)).toEqual(c);
    expect(microsToIso(c.keyUs)).toBe('2026-02-02T02:40:00.123456Z');
    expect(microsToIso(1_000_000_000_000_007)).toBe('2001-09-09T01:46:40.000007Z');
    for (const bad of [
      '',
      'f1.',
      'f1.eA',
      `f1.${Buffer.from('1.nope').toString('base64url')}`,
      `f2.${Buffer.from(`x.1.${c.id}`).toString('base64url')}`,
    ]) {
      expect(decodeFilesCursor(bad)).toBeNull();
    }
  });
});

describe.each(DB_KINDS)('files.list on %s', (kind) => {
  let h: Harness;
  let org: Org;
  let other: Org;
  const f: Record<string, FileRow> = {};
  const as = async (o: Org, role: Role): Promise<Caller> =>
    h.caller((await h.sessionFor(o.users[role])).session);
  const seed = (o: Partial<SeedFileOptions> & { orgId: string; uploadedBy: string }) =>
    seedFile(h.deps, o);

  beforeAll(async () => {
    h = await createHarness(kind);
    org = await h.seedOrg('list');
    other = await h.seedOrg('list-other');
    const field = org.users.field.id;
    const base = { orgId: org.orgId, uploadedBy: field };
    f.coffee = await seed({
      ...base,
      filename: 'Coffee.jpg',
      objectId: 'exp-1',
      receivedAt: minute(1),
      meta: { vendor: 'Blue Bottle' },
    });
    f.invoice = await seed({
      ...base,
      objectType: 'invoice',
      filename: 'invoice-march.pdf',
      contentType: 'application/pdf',
      receivedAt: minute(2),
    });
    f.contract = await seed({
      ...base,
      uploadedBy: org.users.office.id,
      system: 'workspace',
      objectType: 'document',
      filename: 'Contract.pdf',
      contentType: 'application/pdf',
      status: 'mismatch',
      receivedAt: minute(3),
    });
    f.taxi = await seed({
      ...base,
      filename: 'taxi_100%.jpg',
      objectId: 'exp-1',
      duplicateOf: f.coffee.id,
      receivedAt: minute(4),
    });
    f.gone = await seed({
      ...base,
      filename: 'gone.jpg',
      status: 'deleted',
      receivedAt: minute(5),
    });
    f.pending = await seed({
      ...base,
      filename: 'old.jpg',
      status: 'pending',
      capturedAt: new Date('2025-06-01T12:00:00.000Z'),
      receivedAt: minute(6),
    });
    f.notes = await seed({
      ...base,
      uploadedBy: org.users.admin.id,
      system: 'communications',
      objectType: 'attachment',
      filename: 'notes.txt',
      contentType: 'text/plain',
      meta: { vendor: 'Bluebird', note: 'Team lunch after the site visit' },
      receivedAt: minute(7),
    });
    await seed({
      orgId: other.orgId,
      uploadedBy: other.users.field.id,
      filename: 'Coffee.jpg',
      objectId: 'exp-1',
      meta: { vendor: 'Blue Bottle' },
      receivedAt: minute(8),
    });
  });
  afterAll(async () => {
    await h.destroy();
  });

  const names = (page: { items: { id: string }[] }) =>
    page.items.map((item) => Object.keys(f).find((k) => f[k]?.id === item.id) ?? 'FOREIGN');

  it('lists the org newest received first, deleted files left out', async () => {
    const page = await (await as(org, 'office')).files.list();
    expect(names(page)).toEqual(['notes', 'pending', 'taxi', 'contract', 'invoice', 'coffee']);
    expect(page.nextCursor).toBeNull();
    expect(page.items[0]).toMatchObject({ orgId: org.orgId, safeFilename: 'notes.txt' });
  });

  it('shows field staff only their own uploads, whatever the filters say', async () => {
    const field = await as(org, 'field');
    expect(names(await field.files.list())).toEqual(['pending', 'taxi', 'invoice', 'coffee']);
    const page = await field.files.list({ filters: { uploadedBy: org.users.office.id } });
    expect(page.items).toEqual([]);
  });

  it.each([
    ['system', { system: 'accounting' }, ['pending', 'taxi', 'invoice', 'coffee']],
    ['system + objectType', { system: 'accounting', objectType: 'invoice' }, ['invoice']],
    ['objectType alone', { objectType: 'document' }, ['contract']],
    ['objectId', { objectId: 'exp-1' }, ['taxi', 'coffee']],
    ['status mismatch', { status: 'mismatch' }, ['contract']],
    ['status deleted', { status: 'deleted' }, ['gone']],
    ['status pending', { status: 'pending' }, ['pending']],
    ['uploadedBy', { uploadedBy: 'OFFICE' }, ['contract']],
    [
      'received from/to',
      { from: minute(3).toISOString(), to: minute(5).toISOString() },
      ['taxi', 'contract'],
    ],
    ['received from', { from: minute(6).toISOString() }, ['notes', 'pending']],
    [
      'captured from/to',
      { dateField: 'captured', from: '2025-01-01T00:00:00.000Z', to: '2025-12-31T23:59:59.999Z' },
      ['pending'],
    ],
    ['text in the vendor, any case', { text: 'BLUE' }, ['notes', 'coffee']],
    ['text in the filename', { text: 'contract' }, ['contract']],
    ['text only in the note, any case', { text: 'SITE VISIT' }, ['notes']],
    ['text with % and _ taken literally', { text: '_100%' }, ['taxi']],
    ['a lone % (literal)', { text: '%' }, ['taxi']],
    ['duplicatesOnly', { duplicatesOnly: true }, ['taxi']],
    ['several at once', { system: 'accounting', objectId: 'exp-1', text: 'taxi' }, ['taxi']],
  ] as const)('filters by %s', async (_name, raw, expected) => {
    const filters = { ...raw } as Record<string, unknown>;
    if (filters.uploadedBy === 'OFFICE') filters.uploadedBy = org.users.office.id;
    const page = await (await as(org, 'auditor')).files.list({ filters });
    expect(names(page)).toEqual(expected);
  });

  it('counts what the list shows, with the same filters and role scope', async () => {
    const auditor = await as(org, 'auditor');
    for (const filters of [
      {},
      { system: 'accounting' },
      { text: 'blue' },
      { status: 'deleted' },
    ] as const) {
      const listed = (await auditor.files.list({ filters, limit: 100 })).items.length;
      expect(await auditor.files.count({ filters })).toEqual({ count: listed, capped: false });
    }
    expect(await (await as(org, 'field')).files.count()).toEqual({ count: 4, capped: false });
    expect(await (await as(other, 'office')).files.count()).toEqual({ count: 1, capped: false });
  });

  it('stops counting past the cap (an early-ending scan, not a count of every match)', async () => {
    const scope = { orgId: org.orgId, ownerId: null };
    expect(await countFilesUpTo(h.test.db, { scope, filters: {}, cap: 100 })).toBe(6);
    expect(await countFilesUpTo(h.test.db, { scope, filters: {}, cap: 2 })).toBe(3);
    expect(await countFilesUpTo(h.test.db, { scope, filters: { text: 'zzz' }, cap: 2 })).toBe(0);
  });

  it("never lists another org's files", async () => {
    const page = await (await as(other, 'admin')).files.list({ filters: { text: 'coffee' } });
    expect(page.items.map((i) => i.orgId)).toEqual([other.orgId]);
  });

  it('sorts by captured time on request, paging by that key even when late captures arrive meanwhile', async () => {
    const p = await h.seedOrg('captured');
    const base = { orgId: p.orgId, uploadedBy: p.users.field.id };
    const day = (d: number, ms = 0) => new Date(Date.UTC(2026, 0, d, 8, 0, 0, ms));
    // Received in the opposite order to captured (an offline phone syncing its backlog newest first).
    const rows: FileRow[] = [];
    for (const d of [5, 4, 3, 2, 1]) {
      rows.push(await seed({ ...base, capturedAt: day(d), receivedAt: minute(10 - d) }));
    }
    const office = await as(p, 'office');
    const ids = (page: { items: { id: string }[] }) => page.items.map((i) => i.id);
    expect(ids(await office.files.list({ sort: 'captured' }))).toEqual(rows.map((r) => r.id));
    expect(ids(await office.files.list())).toEqual([...rows].reverse().map((r) => r.id));

    const first = await office.files.list({ sort: 'captured', limit: 2 });
    expect(ids(first)).toEqual([rows[0]?.id, rows[1]?.id]);
    // Captured before the cursor (day 4) and after it: the older one shows on a later page, once.
    const late = await seed({ ...base, capturedAt: day(3, 500), receivedAt: minute(30) });
    await seed({ ...base, capturedAt: day(9), receivedAt: minute(31) });
    const seen = [...ids(first)];
    let cursor = first.nextCursor;
    while (cursor) {
      const page = await office.files.list({ sort: 'captured', limit: 2, cursor });
      seen.push(...ids(page));
      cursor = page.nextCursor;
    }
    expect(seen).toEqual([rows[0], rows[1], late, rows[2], rows[3], rows[4]].map((r) => r?.id));

    // A cursor belongs to its order: reusing it under the other sort is refused on `cursor`.
    const error = await expectCode(
      office.files.list({ limit: 2, cursor: first.nextCursor ?? '' }),
      'BAD_INPUT',
    );
    expect(Object.keys(error.data.fieldErrors ?? {})).toEqual(['cursor']);
    const bad = await expectCode(office.files.list({ sort: 'newest' as 'captured' }), 'BAD_INPUT');
    expect(Object.keys(bad.data.fieldErrors ?? {})).toEqual(['sort']);
  });

  it('has the captured-order indexes', async () => {
    const found = await sql<{ indexname: string }>`
      select indexname from pg_indexes
      where tablename = 'files' and indexname like '%captured%' order by indexname`.execute(
      h.test.db,
    );
    expect(found.rows.map((r) => r.indexname)).toEqual([
      'files_org_captured_idx',
      'files_org_uploader_captured_idx',
    ]);
  });

  it('indexes the note for text search wherever filename and vendor are indexed (pg_trgm)', async () => {
    const found = await sql<{ indexname: string }>`
      select indexname from pg_indexes
      where tablename = 'files' and indexname like '%trgm%' order by indexname`.execute(h.test.db);
    const names = found.rows.map((r) => r.indexname);
    // PGlite has no pg_trgm loaded: no trigram index at all, the filter scans.
    expect(names).toEqual(
      names.length === 0
        ? []
        : ['files_filename_trgm_idx', 'files_note_trgm_idx', 'files_vendor_trgm_idx'],
    );
    if (kind === 'postgres') expect(names).toContain('files_note_trgm_idx');
  });

  it('pages by keyset: ties and microsecond neighbours neither repeat nor vanish, under concurrent inserts', async () => {
    const p = await h.seedOrg('paging');
    const base = { orgId: p.orgId, uploadedBy: p.users.field.id };
    const originals: { id: string; us: number }[] = [];
    for (let i = 0; i < 30; i++) {
      // Groups of three share one instant; neighbours differ by one microsecond inside one millisecond
      // (JS dates cannot tell them apart, the cursor must).
      const us = 450 + Math.floor(i / 3);
      const row = await seed({ ...base, receivedAt: `2026-02-10T09:00:00.123${us}Z` });
      originals.push({ id: row.id, us });
    }
    const expected = originals
      .sort((a, b) => b.us - a.us || (a.id < b.id ? 1 : -1))
      .map((r) => r.id);
    const pager = await as(p, 'office');
    let inserting = true;
    const inserter = (async () => {
      // New uploads arrive while the office pages: received now, newer than every cursor.
      for (let i = 0; inserting && i < 40; i++) await seed(base);
    })();
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await pager.files.list({ limit: 4, ...(cursor ? { cursor } : {}) });
      seen.push(...page.items.map((i) => i.id));
      cursor = page.nextCursor;
      if (seen.length > 200) throw new Error('paging does not end');
    } while (cursor);
    inserting = false;
    await inserter;
    expect(new Set(seen).size).toBe(seen.length);
    const originalIds = new Set(expected);
    expect(seen.filter((id) => originalIds.has(id))).toEqual(expected);
  });
});
