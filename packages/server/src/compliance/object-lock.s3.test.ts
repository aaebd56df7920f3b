// Object Lock (WORM) on Ceph RGW and PostgreSQL: verified uploads are locked in the bucket, legal holds reach the object, locked bytes cannot be deleted, purge removes every version.
import { DeleteObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { seedFile } from '../files/files.test-kit.js';
import type { S3ObjectStore } from '../storage/s3/s3-store.js';
import {
  beginInput,
  createUploadKit,
  expectState,
  jpegBytes,
  partBytes,
  put,
  type UploadKit,
} from '../uploads/uploads.test-kit.js';
import { runBody } from './compliance.test-kit.js';
import { lockVerifiedObject } from './object-lock.js';
import { createLockBucket, type LockBucket } from './object-lock.test-kit.js';
import { purge } from './purge.job.js';

const s3 = inject('s3');
const DAY = 86_400_000;
const MiB = 1024 * 1024;

describe.skipIf(!s3)('Object Lock on postgres (s3 backend, Ceph RGW)', () => {
  let lock: LockBucket;
  let store: S3ObjectStore;
  let kit: UploadKit;
  beforeAll(async () => {
    if (!s3) return;
    lock = await createLockBucket(s3, { name: 'fv-worm' });
    store = await lock.store('GOVERNANCE');
    kit = await createUploadKit('postgres', store);
  });
  afterAll(async () => {
    await kit?.destroy();
    await lock?.destroy();
  });

  /** Begin, PUT (single or every part) and complete `bytes` as the org's field user. */
  async function upload(bytes: Buffer) {
    const field = await kit.as(kit.orgA.users.field);
    const begun = await field.uploads.begin(beginInput(bytes));
    if (begun.state === 'verified') throw new Error('a fresh capture cannot be verified already');
    if (begun.state === 'single') {
      expect((await put(begun.put, bytes)).status).toBe(200);
    } else {
      for (const p of expectState(begun, 'multipart').parts)
        expect((await put(p, partBytes(bytes, p.partNumber))).status).toBe(200);
    }
    const done = await field.uploads.complete({ sessionId: begun.sessionId });
    expect(done.state).toBe('verified');
    return done.file;
  }

  it('start-up refuses a lock mode on a bucket without Object Lock, with a clear error', async () => {
    if (!s3) return;
    const plain = await createLockBucket(s3, { name: 'fv-nolock', objectLock: false });
    try {
      const refused = plain.store('COMPLIANCE');
      await expect(refused).rejects.toMatchObject({ code: 'unsupported' });
      await expect(refused).rejects.toThrow(
        /FIELDVAULT_OBJECT_LOCK_MODE=COMPLIANCE but bucket "fv-nolock-.*" does not have Object Lock enabled/,
      );
      expect((await plain.store(null)).capabilities().objectLockMode).toBeNull();
    } finally {
      await plain.destroy();
    }
    expect(store.capabilities()).toMatchObject({ objectLock: true, objectLockMode: 'GOVERNANCE' });
  });

  it('single PUT: the verified object carries the mode and the record’s retain-until; deleting its version is refused', async () => {
    const file = await upload(jpegBytes(200_000));
    expect(file.retentionUntil).toBeTruthy();
    const held = await lock.lockOf(file.key);
    expect(held.mode).toBe('GOVERNANCE');
    expect(held.until?.toISOString()).toBe(file.retentionUntil);
    await expect(
      lock.client.send(
        new DeleteObjectCommand({ Bucket: lock.bucket, Key: file.key, VersionId: held.versionId }),
      ),
    ).rejects.toMatchObject({ name: 'AccessDenied' });
    expect(await lock.lockOf(file.key)).toMatchObject({ versionId: held.versionId });
  });

  it('multipart: the completed object carries the mode and the record’s retain-until', async () => {
    const file = await upload(jpegBytes(17 * MiB));
    const held = await lock.lockOf(file.key);
    expect(held).toMatchObject({ mode: 'GOVERNANCE' });
    expect(held.until?.toISOString()).toBe(file.retentionUntil);
  });

  it('a mismatched upload is quarantined without a lock (wrong bytes are never held for years)', async () => {
    const field = await kit.as(kit.orgA.users.field);
    // A device bug: the MD5 describes the bytes it sent, the SHA-256 the capture.
    const wrong = jpegBytes(2000);
    const input = { ...beginInput(jpegBytes(2000)), md5: beginInput(wrong).md5 };
    const begun = expectState(await field.uploads.begin(input), 'single');
    expect((await put(begun.put, wrong)).status).toBe(200);
    const done = await field.uploads.complete({ sessionId: begun.sessionId });
    expect(done.state).toBe('mismatch');
    expect((await lock.lockOf(done.file.key)).mode).toBeUndefined();
  });

  it('compliance.legalHold places and lifts the object’s legal hold', async () => {
    const file = await upload(jpegBytes(1000));
    const admin = await kit.as(kit.orgA.users.admin);
    await admin.compliance.legalHold({ id: file.id, hold: true, reason: 'litigation' });
    expect(await lock.legalHoldOf(file.key)).toBe('ON');
    await admin.compliance.legalHold({ id: file.id, hold: false });
    expect(await lock.legalHoldOf(file.key)).toBe('OFF');
  });

  it('purge: the app refuses under retention; the bucket refuses too when the record says otherwise', async () => {
    const file = await upload(jpegBytes(1000));
    const admin = await kit.as(kit.orgA.users.admin);
    await admin.files.delete({ id: file.id });
    await expect(admin.files.purge({ id: file.id })).rejects.toMatchObject({
      code: 'PRECONDITION_FAILED',
    });
    // A record tampered with (or an org override shortened after the fact): storage is the last line.
    const past = new Date(kit.h.clock.now().getTime() - 100 * DAY);
    await kit.h.test.db
      .updateTable('files')
      .set({ retention_until: null, deleted_at: past })
      .where('id', '=', file.id)
      .execute();
    const refusal = await admin.files.purge({ id: file.id }).catch((err: unknown) => err);
    expect(refusal).toMatchObject({
      code: 'PRECONDITION_FAILED',
      message: expect.stringContaining('Storage refused') as unknown,
    });
    const out = await runBody(kit.h, purge, { store, orgId: kit.orgA.orgId });
    expect(out.counts).toMatchObject({ purged: 0, locked: 1 });
    const row = await kit.h.test.db
      .selectFrom('files')
      .select('status')
      .where('id', '=', file.id)
      .executeTakeFirstOrThrow();
    expect(row.status).toBe('deleted');
    expect((await lock.versions(file.key)).filter((v) => !v.marker)).toHaveLength(1);
  });

  it('purge after retention removes every version of the key, not just the current one', async () => {
    const org = await kit.h.seedOrg('worm-versions');
    const bytes = Buffer.from('version one');
    const file = await seedFile(
      { db: kit.h.deps.db, store },
      { orgId: org.orgId, uploadedBy: org.users.field.id, status: 'deleted', bytes },
    );
    // A second version of the same key (an overwrite behind the app's back), unlocked like the first.
    await lock.client.send(
      new PutObjectCommand({ Bucket: lock.bucket, Key: file.key, Body: 'version two' }),
    );
    expect(await lock.versions(file.key)).toHaveLength(2);
    const past = new Date(kit.h.clock.now().getTime() - 100 * DAY);
    await kit.h.test.db
      .updateTable('files')
      .set({ deleted_at: past })
      .where('id', '=', file.id)
      .execute();
    const out = await runBody(kit.h, purge, { store, orgId: org.orgId });
    expect(out.counts).toMatchObject({ purged: 1, failed: 0 });
    expect(await lock.versions(file.key)).toEqual([]);
  });

  it('one COMPLIANCE object: locked for a day, and not even a governance bypass deletes it', async () => {
    const compliance = await lock.store('COMPLIANCE');
    const key = `compliance/${Date.now()}.txt`;
    await compliance.putObject(key, Buffer.from('worm'), { contentType: 'text/plain' });
    const until = new Date(Date.now() + DAY);
    await lockVerifiedObject(compliance, { key, until, now: new Date() });
    const held = await lock.lockOf(key);
    expect(held.mode).toBe('COMPLIANCE');
    expect(Math.abs((held.until?.getTime() ?? 0) - until.getTime())).toBeLessThan(1000);
    await expect(
      lock.client.send(
        new DeleteObjectCommand({
          Bucket: lock.bucket,
          Key: key,
          VersionId: held.versionId,
          BypassGovernanceRetention: true,
        }),
      ),
    ).rejects.toMatchObject({ name: 'AccessDenied' });
    await expect(compliance.purge(key)).rejects.toMatchObject({ code: 'locked' });
  });
});
