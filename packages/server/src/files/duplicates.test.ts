// Duplicates: files.get names exact (same bytes) and possible (same amount and day, similar vendor) ones apart; files.list duplicatesOnly finds both.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JsonValue, Role } from '../db/schema.js';
import { DB_KINDS } from '../test/db.js';
import { createHarness, type Harness } from '../test/harness.js';
import { seedFile } from './files.test-kit.js';

type Org = Awaited<ReturnType<Harness['seedOrg']>>;
const MORNING = new Date('2026-02-01T08:00:00.000Z');
const EVENING = new Date('2026-02-01T19:00:00.000Z');
const NEXT_DAY = new Date('2026-02-02T08:00:00.000Z');

describe.each(DB_KINDS)('duplicates on %s', (kind) => {
  let h: Harness;
  let org: Org;
  let other: Org;
  const as = async (o: Org, role: Role) => h.caller((await h.sessionFor(o.users[role])).session);
  const seed = (q: {
    meta?: { [key: string]: JsonValue };
    at?: Date;
    bytes?: Uint8Array;
    duplicateOf?: string;
    o?: Org;
    by?: Role;
    status?: 'verified' | 'mismatch';
  }) => {
    const o = q.o ?? org;
    return seedFile(h.deps, {
      orgId: o.orgId,
      uploadedBy: o.users[q.by ?? 'field'].id,
      capturedAt: q.at ?? MORNING,
      meta: q.meta ?? {},
      ...(q.bytes ? { bytes: q.bytes } : {}),
      ...(q.duplicateOf ? { duplicateOf: q.duplicateOf } : {}),
      ...(q.status ? { status: q.status } : {}),
    });
  };
  const shell = { vendor: 'Shell Station #12', amount: '45.50', currency: 'EUR' };
  let ids: Record<string, string>;

  beforeAll(async () => {
    h = await createHarness(kind);
    org = await h.seedOrg('dups');
    other = await h.seedOrg('dups-other');
    const bytes = new TextEncoder().encode('the same receipt bytes');
    const a = await seed({ meta: shell, bytes });
    const rows = {
      a,
      reshot: await seed({ meta: { vendor: 'SHELL', amount: '45.5' }, at: EVENING }),
      copy: await seed({ bytes, duplicateOf: a.id }),
      nextDay: await seed({ meta: { vendor: 'Shell', amount: '45.50' }, at: NEXT_DAY }),
      otherAmount: await seed({ meta: { vendor: 'Shell', amount: '45.51' } }),
      otherVendor: await seed({ meta: { vendor: 'Esso', amount: '45.50' } }),
      dollars: await seed({ meta: { vendor: 'Shell', amount: '45.50', currency: 'USD' } }),
      tooShort: await seed({ meta: { vendor: 'S', amount: '45.50' } }),
      mismatch: await seed({ meta: shell, status: 'mismatch' }),
      byOffice: await seed({ meta: { vendor: 'shell station', amount: '45.50' }, by: 'office' }),
      foreign: await seed({ meta: shell, o: other }),
    };
    ids = Object.fromEntries(Object.entries(rows).map(([k, v]) => [k, v.id]));
  });
  afterAll(async () => {
    await h.destroy();
  });

  it('files.get lists exact and possible duplicates separately, each labelled', async () => {
    const got = await (await as(org, 'office')).files.get({ id: ids.a ?? '' });
    expect(got.duplicates?.exact.map((d) => d.id)).toEqual([ids.copy]);
    expect(got.duplicates?.exact[0]?.label).toMatch(/^Exact duplicate/);
    expect(got.duplicates?.possible.map((d) => d.id).sort()).toEqual(
      [ids.reshot, ids.byOffice].sort(),
    );
    expect(got.duplicates?.possible[0]?.kind).toBe('possible');
    expect(got.duplicates?.possible[0]?.label).toMatch(/^Possible duplicate/);
    // Symmetric: the re-shot receipt points back at the first one.
    const reshot = await (await as(org, 'auditor')).files.get({ id: ids.reshot ?? '' });
    expect(reshot.duplicates?.possible.map((d) => d.id).sort()).toEqual(
      [ids.a, ids.byOffice, ids.dollars].sort(),
    );
    expect(reshot.duplicates?.possible[0]).toMatchObject({ vendor: expect.any(String) as string });
  });

  it('field staff only see duplicates among their own uploads', async () => {
    const got = await (await as(org, 'field')).files.get({ id: ids.a ?? '' });
    expect(got.duplicates?.possible.map((d) => d.id)).toEqual([ids.reshot]);
  });

  it('files.list duplicatesOnly returns both kinds and nothing else', async () => {
    const page = await (await as(org, 'admin')).files.list({ filters: { duplicatesOnly: true } });
    // `dollars` has no possible duplicate in EUR, but the re-shot one names no currency: compatible.
    expect(page.items.map((i) => i.id).sort()).toEqual(
      [ids.a, ids.reshot, ids.copy, ids.byOffice, ids.dollars].sort(),
    );
    expect(page.items.every((i) => i.duplicates === undefined)).toBe(true);
    const theirs = await (
      await as(other, 'admin')
    ).files.list({ filters: { duplicatesOnly: true } });
    expect(theirs.items).toEqual([]);
  });
});
