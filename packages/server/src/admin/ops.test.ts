// admin.usage / admin.health / admin.failedUploads: the admin's own org only, quota levels, broken storage, job runs, failure reasons.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FileStatus, UploadState } from '../db/schema.js';
import { seedFile } from '../files/files.test-kit.js';
import type { ObjectStore } from '../storage/object-store.js';
import { DB_KINDS } from '../test/db.js';
import { createHarness, type Harness } from '../test/harness.js';
import { createInnerContext } from '../trpc/context.js';
import { createCaller } from '../app-router.js';
import { quotaLevel } from './ops.service.js';

type Org = Awaited<ReturnType<Harness['seedOrg']>>;
const DAY = 24 * 3600_000;

describe('quota levels', () => {
  it('warns at 80 %, critical at 95 %, none without a quota', () => {
    expect(quotaLevel(10, undefined).level).toBe('none');
    expect(quotaLevel(79, 100)).toMatchObject({ level: 'ok', usedRatio: 0.79, bytes: 100 });
    expect(quotaLevel(80, 100).level).toBe('warning');
    expect(quotaLevel(94, 100).level).toBe('warning');
    expect(quotaLevel(95, 100).level).toBe('critical');
    expect(quotaLevel(120, 100).level).toBe('critical');
  });
});

describe.each(DB_KINDS)('admin operations on %s', (kind) => {
  let h: Harness;
  let org: Org;
  let other: Org;
  const admin = async (o: Org = org, extra: { store?: ObjectStore } = {}) => {
    const { session } = await h.sessionFor(o.users.admin);
    return createCaller(createInnerContext({ deps: { ...h.deps, ...extra }, session }));
  };
  const seed = (
    o: Org,
    q: { size: number; status?: FileStatus; daysAgo?: number; type?: string },
  ) =>
    seedFile(h.deps, {
      orgId: o.orgId,
      uploadedBy: o.users.field.id,
      bytes: new Uint8Array(q.size),
      ...(q.status ? { status: q.status } : {}),
      ...(q.type === 'invoice'
        ? { objectType: 'invoice', filename: 'inv.pdf', contentType: 'application/pdf' }
        : {}),
      receivedAt: new Date(h.clock.now().getTime() - (q.daysAgo ?? 0) * DAY),
    });

  beforeAll(async () => {
    h = await createHarness(kind, { FIELDVAULT_QUOTA_BYTES: '1000' });
    org = await h.seedOrg('ops');
    other = await h.seedOrg('ops-other');
  });
  afterAll(async () => {
    await h.destroy();
  });

  it('usage: stored bytes by type and status, 30 days of growth, the quota level — own org only', async () => {
    await seed(org, { size: 300 });
    await seed(org, { size: 200, daysAgo: 2 });
    await seed(org, { size: 100, type: 'invoice', status: 'deleted', daysAgo: 40 });
    await seed(org, { size: 250, status: 'mismatch' });
    await seed(org, { size: 999, status: 'pending' });
    await seed(other, { size: 5000 });
    const u = await (await admin()).admin.usage();
    expect(u.org).toMatchObject({ orgId: org.orgId, count: 4, bytes: 850 });
    expect(u.byType).toEqual([
      { system: 'accounting', objectType: 'invoice', count: 1, bytes: 100 },
      { system: 'accounting', objectType: 'receipt', count: 3, bytes: 750 },
    ]);
    expect(u.byStatus.find((s) => s.status === 'pending')).toEqual({
      status: 'pending',
      count: 1,
      bytes: 999,
    });
    expect(u.growth).toHaveLength(30);
    expect(u.growth.at(-1)).toEqual({
      day: h.clock.now().toISOString().slice(0, 10),
      count: 2,
      bytes: 550,
    });
    expect(u.growth.at(-3)?.bytes).toBe(200);
    expect(u.growth.reduce((t, d) => t + d.bytes, 0)).toBe(750);
    expect(u.quota).toMatchObject({ bytes: 1000, usedRatio: 0.85, level: 'warning' });
    expect((await (await admin()).admin.usage({ days: 7 })).growth).toHaveLength(7);
    const theirs = await (await admin(other)).admin.usage();
    expect(theirs.org).toMatchObject({ count: 1, bytes: 5000 });
    expect(theirs.quota.level).toBe('critical');
  });

  it('health: database and storage ok, job runs of this org and installation-wide, audit failures', async () => {
    const run = (job: string, orgId: string | null, minutesAgo: number, outcome = 'succeeded') =>
      h.test.db
        .insertInto('job_runs')
        .values({
          job,
          org_id: orgId,
          trigger: 'schedule',
          holder: 'test',
          started_at: new Date(h.clock.now().getTime() - minutesAgo * 60_000),
          finished_at: h.clock.now(),
          outcome: outcome as 'succeeded',
          counts: { checked: minutesAgo },
        })
        .execute();
    await run('reconcile', null, 120);
    await run('reconcile', null, 10, 'failed');
    await run('rehash', org.orgId, 30);
    await run('rehash', other.orgId, 5);
    const got = await (await admin()).admin.health();
    expect(got).toMatchObject({
      ok: true,
      database: { ok: true },
      storage: { ok: true },
      auditWriteFailures: 0,
    });
    expect(got.jobs.map((j) => [j.job, j.outcome, j.counts.checked])).toEqual([
      ['reconcile', 'failed', 10],
      ['rehash', 'succeeded', 30],
    ]);

    const broken: ObjectStore = Object.create(h.deps.store) as ObjectStore;
    broken.putObject = () => Promise.reject(new Error('disk full'));
    h.deps.metrics.auditWriteFailures.inc();
    const bad = await (await admin(org, { store: broken })).admin.health();
    expect(bad).toMatchObject({
      ok: false,
      database: { ok: true },
      storage: { ok: false },
      auditWriteFailures: 1,
    });
    expect(bad.storage.error).toContain('disk full');
  });

  it('failedUploads: mismatches, expired and aborted sessions with reasons, newest first, own org only', async () => {
    const session = async (
      o: Org,
      q: { state: UploadState; actual?: string; minutesAgo: number; expired?: boolean },
    ) => {
      const file = await seed(o, { size: 10, status: q.actual ? 'mismatch' : 'pending' });
      const at = new Date(h.clock.now().getTime() - q.minutesAgo * 60_000);
      await h.test.db
        .insertInto('upload_sessions')
        .values({
          id: randomUUID(),
          org_id: o.orgId,
          file_id: file.id,
          kind: 'single',
          part_size: 10,
          parts_count: 1,
          state: q.state,
          created_at: at,
          updated_at: at,
          expires_at: new Date(at.getTime() + (q.expired ? -1 : 1) * DAY),
          actual_sha256: q.actual ?? null,
        })
        .execute();
      return file;
    };
    const mismatch = await session(org, {
      state: 'completed',
      actual: 'a'.repeat(64),
      minutesAgo: 1,
    });
    const aborted = await session(org, { state: 'aborted', minutesAgo: 2 });
    const lapsed = await session(org, { state: 'open', minutesAgo: 3, expired: true });
    await session(org, { state: 'open', minutesAgo: 4 });
    await session(org, { state: 'completed', minutesAgo: 5 });
    await session(other, { state: 'aborted', minutesAgo: 1 });
    const { items } = await (await admin()).admin.failedUploads();
    expect(items.map((i) => [i.kind, i.fileId])).toEqual([
      ['mismatch', mismatch.id],
      ['aborted', aborted.id],
      ['expired', lapsed.id],
    ]);
    expect(items[0]).toMatchObject({
      actualSha256: 'a'.repeat(64),
      expectedSha256: mismatch.sha256,
    });
    expect(items[0]?.reason).toMatch(/hash/);
    expect((await (await admin()).admin.failedUploads({ limit: 1 })).items).toHaveLength(1);
    const since = new Date(h.clock.now().getTime() - 90_000).toISOString();
    expect((await (await admin()).admin.failedUploads({ since })).items.map((i) => i.kind)).toEqual(
      ['mismatch'],
    );
  });
});
