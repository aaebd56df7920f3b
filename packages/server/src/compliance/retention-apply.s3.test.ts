// Retroactive Object Lock on Ceph RGW and PostgreSQL: objects stored before the lock mode was on get their record's retention, audited, and a re-run changes nothing.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { seedFile } from '../files/files.test-kit.js';
import type { JobDeps } from '../jobs/jobs.types.js';
import type { S3ObjectStore } from '../storage/s3/s3-store.js';
import { createHarness, type Harness } from '../test/harness.js';
import { createLockBucket, type LockBucket } from './object-lock.test-kit.js';
import { applyRetention, RetentionApplyUnavailable } from './retention-apply.js';

const s3 = inject('s3');
const DAY = 86_400_000;

describe.skipIf(!s3)('retention apply on postgres (s3 backend, Ceph RGW)', () => {
  let h: Harness;
  let lock: LockBucket;
  let unlocked: S3ObjectStore;
  let governance: S3ObjectStore;
  beforeAll(async () => {
    if (!s3) return;
    h = await createHarness('postgres');
    lock = await createLockBucket(s3, { name: 'fv-retro' });
    unlocked = await lock.store(null);
    governance = await lock.store('GOVERNANCE');
  });
  afterAll(async () => {
    await lock?.destroy();
    await h?.destroy();
  });

  /** The CLI's collaborators with the bucket's lock mode on, on real time (Ceph checks retain-until against its own clock). */
  const lockedDeps = (): JobDeps => ({ ...h.deps, store: governance, clock: () => new Date() });

  it('locks what was stored without Object Lock, extends shorter locks, mirrors legal holds; audited; a re-run changes nothing', async () => {
    const org = await h.seedOrg('retro');
    const deps = { db: h.deps.db, store: unlocked };
    const seed = (o: { status?: 'verified' | 'deleted' | 'mismatch'; days: number | null }) =>
      seedFile(deps, {
        orgId: org.orgId,
        uploadedBy: org.users.field.id,
        bytes: Buffer.from(`retro ${Math.random()}`),
        ...(o.status ? { status: o.status } : {}),
        retentionUntil: o.days === null ? null : new Date(Date.now() + o.days * DAY),
      });
    const verified = await seed({ days: 30 });
    const deleted = await seed({ status: 'deleted', days: 30 });
    const expired = await seed({ days: -1 });
    const mismatched = await seed({ status: 'mismatch', days: 30 });
    const held = await seed({ days: null });
    await h.deps.db
      .updateTable('files')
      .set({ legal_hold: true })
      .where('id', '=', held.id)
      .execute();
    const shorter = await seed({ days: 30 });
    // Whole seconds: S3 retain-until dates carry no milliseconds.
    const shortUntil = new Date(Math.floor((Date.now() + 2 * DAY) / 1000) * 1000);
    await governance.putRetention(shorter.key, { mode: 'GOVERNANCE', until: shortUntil });

    const dry = await applyRetention(lockedDeps(), { dryRun: true, orgId: org.orgId });
    expect(dry).toMatchObject({ examined: 4, locked: 3, alreadyLocked: 0, holds: 1, failed: [] });
    expect((await lock.lockOf(verified.key)).mode).toBeUndefined();
    expect((await lock.lockOf(held.key)).legalHold).not.toBe('ON');

    const applied = await applyRetention(lockedDeps(), { dryRun: false, orgId: org.orgId });
    expect(applied).toMatchObject({
      examined: 4,
      locked: 3,
      alreadyLocked: 0,
      holds: 1,
      failed: [],
    });
    for (const f of [verified, deleted, shorter]) {
      const got = await lock.lockOf(f.key);
      expect(got.mode).toBe('GOVERNANCE');
      expect(got.until?.toISOString()).toBe(f.retention_until?.toISOString());
    }
    expect(await lock.legalHoldOf(held.key)).toBe('ON');
    // Out of scope: retention over (nothing to hold) and wrong bytes (never locked).
    expect((await lock.lockOf(expired.key)).mode).toBeUndefined();
    expect((await lock.lockOf(mismatched.key)).mode).toBeUndefined();

    const events = await h.deps.db
      .selectFrom('audit_events')
      .select(['target_file_id', 'details', 'actor_user_id'])
      .where('org_id', '=', org.orgId)
      .where('action', '=', 'RETENTION_APPLIED')
      .execute();
    expect(events.map((e) => e.target_file_id).sort()).toEqual(
      [verified.id, deleted.id, shorter.id].sort(),
    );
    const extended = events.find((e) => e.target_file_id === shorter.id);
    expect(extended?.details).toMatchObject({
      mode: 'GOVERNANCE',
      retainUntil: shorter.retention_until?.toISOString(),
      previousRetainUntil: shortUntil.toISOString(),
    });
    expect(events.every((e) => e.actor_user_id === null)).toBe(true);
    const { session } = await h.sessionFor(org.users.auditor);
    expect((await h.caller(session).audit.verify()).ok).toBe(true);

    const again = await applyRetention(lockedDeps(), { dryRun: false, orgId: org.orgId });
    expect(again).toMatchObject({ examined: 4, locked: 0, alreadyLocked: 3, failed: [] });
  });

  it('an object missing from the bucket is reported with the reason and the pass goes on', async () => {
    const org = await h.seedOrg('retro-missing');
    const ok = await seedFile(
      { db: h.deps.db, store: unlocked },
      {
        orgId: org.orgId,
        uploadedBy: org.users.field.id,
        bytes: Buffer.from('present'),
        retentionUntil: new Date(Date.now() + 10 * DAY),
      },
    );
    // A record whose bytes were never stored (seedFile without bytes).
    const gone = await seedFile(
      { db: h.deps.db, store: unlocked },
      {
        orgId: org.orgId,
        uploadedBy: org.users.field.id,
        retentionUntil: new Date(Date.now() + 10 * DAY),
      },
    );
    const out = await applyRetention(lockedDeps(), { dryRun: false, orgId: org.orgId });
    expect(out.locked).toBe(1);
    expect(out.failed.map((f) => [f.fileId, f.key])).toEqual([[gone.id, gone.key]]);
    expect(out.failed[0]?.error).toMatch(/\w/);
    expect((await lock.lockOf(ok.key)).mode).toBe('GOVERNANCE');
  });

  it('without an Object Lock mode it refuses with a clear error before touching anything', async () => {
    await expect(applyRetention({ ...h.deps, store: unlocked }, { dryRun: false })).rejects.toThrow(
      RetentionApplyUnavailable,
    );
    await expect(applyRetention(h.deps, { dryRun: true })).rejects.toThrow(
      /needs Object Lock: an s3 bucket created with Object Lock and FIELDVAULT_OBJECT_LOCK_MODE/,
    );
  });
});
