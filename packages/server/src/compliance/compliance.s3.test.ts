// Compliance on Ceph RGW and PostgreSQL: rehash catches a byte changed directly in the bucket; Object Lock makes storage refuse deleting a locked version.
import { DeleteObjectCommand, ListObjectVersionsCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { seedFile } from '../files/files.test-kit.js';
import { createHarness, type Harness } from '../test/harness.js';
import { createTestBucket, type TestBucket } from '../test/s3-store.js';
import { flipStoredByte, runBody } from './compliance.test-kit.js';
import { purge } from './purge.job.js';
import { checkRetention } from './retention-check.js';
import { rehash } from './rehash.job.js';

const s3 = inject('s3');
const DAY = 86_400_000;

describe.skipIf(!s3)('compliance jobs on postgres (s3 backend, Ceph RGW)', () => {
  let h: Harness;
  let plain: TestBucket;
  let locked: TestBucket;
  beforeAll(async () => {
    if (!s3) return;
    h = await createHarness('postgres');
    plain = await createTestBucket(s3, { name: 'fv-rehash' });
    locked = await createTestBucket(s3, { name: 'fv-lock', objectLock: true });
  });
  afterAll(async () => {
    await plain?.destroy();
    await locked?.destroy();
    await h?.destroy();
  });

  it('rehash --all finds the object whose bytes were replaced in the bucket', async () => {
    const org = await h.seedOrg('s3-rehash');
    const deps = { db: h.deps.db, store: plain.store };
    const bytes = Buffer.from('ceph bytes '.repeat(100));
    const good = await seedFile(deps, {
      orgId: org.orgId,
      uploadedBy: org.users.field.id,
      bytes: Buffer.from('fine'),
    });
    const bad = await seedFile(deps, { orgId: org.orgId, uploadedBy: org.users.field.id, bytes });
    await flipStoredByte(plain.store, { key: bad.key, bytes, bucket: plain.bucket });
    const out = await runBody(h, rehash, { store: plain.store, orgId: org.orgId, all: true });
    expect(out.counts).toEqual({ checked: 2, matched: 1, mismatched: 1, missing: 0 });
    const rows = await h.deps.db
      .selectFrom('files')
      .select(['id', 'status'])
      .where('org_id', '=', org.orgId)
      .orderBy('status')
      .execute();
    expect(rows).toEqual([
      { id: bad.id, status: 'mismatch' },
      { id: good.id, status: 'verified' },
    ]);
  });

  it('with Object Lock, storage refuses to purge a locked version the record says nothing about: the file stays deleted', async () => {
    expect(locked.store.capabilities().objectLock).toBe(true);
    const org = await h.seedOrg('s3-lock');
    const deps = { db: h.deps.db, store: locked.store };
    const file = await seedFile(deps, {
      orgId: org.orgId,
      uploadedBy: org.users.field.id,
      status: 'deleted',
      bytes: Buffer.from('locked'),
    });
    await locked.store.putRetention(file.key, {
      mode: 'COMPLIANCE',
      until: new Date(Date.now() + DAY),
    });
    await h.deps.db
      .updateTable('files')
      .set({ deleted_at: new Date(h.clock.now().getTime() - 100 * DAY) })
      .where('id', '=', file.id)
      .execute();
    // The app's own record says nothing about retention here: storage is the last line.
    const out = await runBody(h, purge, { store: locked.store, orgId: org.orgId });
    expect(out.counts).toMatchObject({ purged: 0, locked: 1 });
    const row = await h.deps.db
      .selectFrom('files')
      .select('status')
      .where('id', '=', file.id)
      .executeTakeFirstOrThrow();
    expect(row.status).toBe('deleted');
    const versions = await locked.store.client.send(
      new ListObjectVersionsCommand({ Bucket: locked.bucket, Prefix: file.key }),
    );
    const version = versions.Versions?.[0];
    expect(version?.VersionId).toBeTruthy();
    await expect(
      locked.store.client.send(
        new DeleteObjectCommand({
          Bucket: locked.bucket,
          Key: file.key,
          VersionId: version?.VersionId,
          BypassGovernanceRetention: true,
        }),
      ),
    ).rejects.toMatchObject({ name: 'AccessDenied' });
  });

  it('retention check compares storage retain-until with the record, and lists files expiring soon', async () => {
    const org = await h.seedOrg('s3-ret');
    const deps = { db: h.deps.db, store: locked.store };
    const soon = new Date(h.clock.now().getTime() + 10 * DAY);
    const f = await seedFile(deps, {
      orgId: org.orgId,
      uploadedBy: org.users.field.id,
      bytes: Buffer.from('r'),
      retentionUntil: soon,
    });
    const bare = await seedFile(deps, {
      orgId: org.orgId,
      uploadedBy: org.users.field.id,
      bytes: Buffer.from('b'),
      retentionUntil: soon,
    });
    await locked.store.putRetention(f.key, {
      mode: 'GOVERNANCE',
      until: new Date(Date.now() + 400 * DAY),
    });
    expect(await locked.store.getRetention(f.key)).toMatchObject({ mode: 'GOVERNANCE' });
    const config = {
      ...h.deps.config,
      jobs: { ...h.deps.config.jobs, objectLockMode: 'GOVERNANCE' as const },
    };
    const report = await checkRetention(
      { ...h.deps, store: locked.store, config },
      { days: 30, sample: 1000 },
    );
    expect(report.objectLock).toBe(true);
    expect(report.unprotected.map((u) => u.fileId)).toContain(bare.id);
    expect(report.unprotected.map((u) => u.fileId)).not.toContain(f.id);
    expect(report.expiringSoon.map((e) => e.fileId)).toEqual(
      expect.arrayContaining([f.id, bare.id]),
    );
  });
});
