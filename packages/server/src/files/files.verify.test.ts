// files.verify ("Verify now"): re-hash what storage holds — verified again, or a byte flipped in storage becomes mismatch — on fs and Ceph.
import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { DeleteBucketCommand, DeleteObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createCaller } from '../app-router.js';
import type { FileStatus } from '../db/schema.js';
import type { FsObjectStore } from '../storage/index.js';
import { ensureBucket, S3ObjectStore } from '../storage/index.js';
import type { ObjectStore } from '../storage/object-store.js';
import { keyPaths } from '../storage/fs/fs-keys.js';
import { createS3Client } from '../storage/s3/s3-client.js';
import { s3StoreConfigSchema, type S3StoreConfig } from '../storage/s3/s3-config.js';
import { DB_KINDS, type DbKind } from '../test/db.js';
import { expectCode } from '../test/expect-error.js';
import { createHarness, type Harness, type SeededUser } from '../test/harness.js';
import { createInnerContext } from '../trpc/context.js';
import { seedFile } from './files.test-kit.js';

type Org = Awaited<ReturnType<Harness['seedOrg']>>;

/** The same scenarios against one store; `flip` changes one stored byte behind the app's back. */
function verifyScenarios(setup: {
  kind: DbKind;
  store: (h: Harness) => Promise<ObjectStore>;
  flip: (store: ObjectStore, key: string, bytes: Buffer) => Promise<void>;
  cleanup?: (store: ObjectStore, prefixes: string[]) => Promise<void>;
}) {
  let h: Harness;
  let store: ObjectStore;
  let org: Org;
  let other: Org;
  const as = async (user: SeededUser) => {
    const { session } = await h.sessionFor(user);
    const meta = { ip: '203.0.113.7', userAgent: 'vitest' };
    return createCaller(createInnerContext({ deps: { ...h.deps, store }, session, meta }));
  };
  const seed = (bytes: Buffer, status?: FileStatus) =>
    seedFile(
      { db: h.test.db, store },
      { orgId: org.orgId, uploadedBy: org.users.field.id, bytes, ...(status ? { status } : {}) },
    );
  const trail = async (fileId: string) => ({
    audit: await h.test.db
      .selectFrom('audit_events')
      .selectAll()
      .where('target_file_id', '=', fileId)
      .orderBy('seq')
      .execute(),
    events: await h.test.db
      .selectFrom('file_events')
      .selectAll()
      .where('file_id', '=', fileId)
      .orderBy('seq')
      .execute(),
  });

  beforeAll(async () => {
    h = await createHarness(setup.kind);
    store = await setup.store(h);
    org = await h.seedOrg('verify');
    other = await h.seedOrg('verify-other');
  });
  afterAll(async () => {
    await setup.cleanup?.(store, [`${org.orgId}/`, `${other.orgId}/`]);
    await h.destroy();
  });

  it('unchanged bytes: verified again with a fresh verifiedAt, audited FILE_VERIFIED, file.verified event', async () => {
    const bytes = randomBytes(3 * 1024 * 1024 + 17);
    const file = await seed(bytes);
    h.clock.advance(60_000);
    const out = await (await as(org.users.office)).files.verify({ id: file.id });
    expect(out).toMatchObject({
      state: 'verified',
      expectedSha256: file.sha256,
      actualSha256: file.sha256,
      actualSize: bytes.length,
      checkedAt: h.clock.now().toISOString(),
      file: { status: 'verified', verifiedAt: h.clock.now().toISOString() },
    });
    const { audit, events } = await trail(file.id);
    expect(audit.map((a) => [a.action, a.success, a.actor_role])).toEqual([
      ['FILE_VERIFIED', true, 'office'],
    ]);
    expect(events.map((e) => e.type)).toEqual(['file.verified']);
  });

  it('a byte flipped in storage: mismatch, HASH_MISMATCH audited, file.mismatch event, download refused', async () => {
    const bytes = randomBytes(200_000);
    const file = await seed(bytes);
    await setup.flip(store, file.key, bytes);
    const admin = await as(org.users.admin);
    const out = await admin.files.verify({ id: file.id });
    expect(out.state).toBe('mismatch');
    expect(out.actualSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(out.actualSha256).not.toBe(file.sha256);
    expect(out.file).toMatchObject({ status: 'mismatch', version: file.version + 1 });
    const { audit, events } = await trail(file.id);
    expect(audit[0]).toMatchObject({
      action: 'HASH_MISMATCH',
      success: false,
      error_code: 'HASH_MISMATCH',
      details: { source: 'verify', expectedSha256: file.sha256, actualSha256: out.actualSha256 },
    });
    expect(events.map((e) => e.type)).toEqual(['file.mismatch']);
    await expectCode(admin.files.downloadUrl({ id: file.id }), 'CONFLICT');
    expect(
      await h.deps.metrics.registry.getSingleMetricAsString(
        'fieldvault_verification_mismatches_total',
      ),
    ).toMatch(/ [1-9]\d*$/m);
  });

  it('an object gone from storage: recorded `missing` as reconcile records it, audited, file.missing event; restoring it verifies it back', async () => {
    const bytes = randomBytes(1000);
    const file = await seed(bytes);
    await store.delete(file.key);
    const office = await as(org.users.office);
    const out = await office.files.verify({ id: file.id });
    expect(out).toMatchObject({
      state: 'missing',
      file: { status: 'missing' },
      actualSha256: null,
      actualSize: null,
    });
    const row = await h.test.db
      .selectFrom('files')
      .select('status')
      .where('id', '=', file.id)
      .executeTakeFirstOrThrow();
    expect(row.status).toBe('missing');
    const { audit, events } = await trail(file.id);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      action: 'FILE_VERIFIED',
      success: false,
      error_code: 'OBJECT_MISSING',
      details: { reason: 'object_missing', finding: 'missing', previousStatus: 'verified' },
    });
    expect(events.map((e) => e.type)).toEqual(['file.missing']);
    // Still gone: stays missing, audited again. Put back: verified again.
    expect(await office.files.verify({ id: file.id })).toMatchObject({
      state: 'missing',
      file: { status: 'missing' },
    });
    await store.putObject(file.key, bytes, { contentType: file.content_type });
    expect(await office.files.verify({ id: file.id })).toMatchObject({
      state: 'verified',
      file: { status: 'verified' },
    });
    expect((await trail(file.id)).events.map((e) => e.type)).toEqual([
      'file.missing',
      'file.missing',
      'file.verified',
    ]);
  });

  it('pending and deleted files are CONFLICT, other orgs’ ids NOT_FOUND; nothing written', async () => {
    const office = await as(org.users.office);
    for (const status of ['pending', 'deleted'] as const) {
      const file = await seed(randomBytes(100), status);
      const error = await expectCode(office.files.verify({ id: file.id }), 'CONFLICT');
      expect(error.data.details).toEqual({ status });
      expect(await trail(file.id)).toEqual({ audit: [], events: [] });
    }
    const theirs = await seedFile(
      { db: h.test.db, store },
      { orgId: other.orgId, uploadedBy: other.users.field.id, bytes: randomBytes(100) },
    );
    await expectCode(office.files.verify({ id: theirs.id }), 'NOT_FOUND');
    expect(await trail(theirs.id)).toEqual({ audit: [], events: [] });
  });
}

/** Flip one byte of the object's file on disk (the sidecar keeps the old hash: it must not be trusted). */
async function flipOnDisk(store: ObjectStore, key: string): Promise<void> {
  const { file } = keyPaths((store as FsObjectStore).layout.root, key);
  const bytes = await readFile(file);
  bytes[1234] = (bytes[1234] ?? 0) ^ 0x01;
  await writeFile(file, bytes);
}

describe.each(DB_KINDS)('files.verify on %s (fs)', (kind) => {
  verifyScenarios({
    kind,
    store: (harness) => Promise.resolve(harness.deps.store),
    flip: flipOnDisk,
  });
});

const s3 = inject('s3');
const bucket = `fv-verify-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;

describe.skipIf(!s3)('files.verify on postgres (s3, Ceph RGW)', () => {
  let config: S3StoreConfig;
  verifyScenarios({
    kind: 'postgres',
    async store() {
      if (!s3) throw new Error('no s3');
      config = {
        kind: 's3',
        endpoint: s3.endpoint,
        region: s3.region,
        bucket: s3.bucket ?? bucket,
        accessKeyId: s3.accessKeyId,
        secretAccessKey: s3.secretAccessKey,
        forcePathStyle: s3.forcePathStyle,
      };
      await ensureBucket(createS3Client(s3StoreConfigSchema.parse(config)), config.bucket, {
        corsOrigins: ['http://localhost:5173'],
      });
      return S3ObjectStore.create(config);
    },
    // Overwrite in place through the S3 API (the app's store refuses overwrites).
    async flip(store, key, bytes) {
      const changed = Buffer.from(bytes);
      changed[1234] = (changed[1234] ?? 0) ^ 0x01;
      await (store as S3ObjectStore).client.send(
        new PutObjectCommand({ Bucket: config.bucket, Key: key, Body: changed }),
      );
    },
    async cleanup(store, prefixes) {
      const s = store as S3ObjectStore;
      for (const prefix of prefixes) {
        for await (const o of s.list(prefix)) {
          await s.client.send(new DeleteObjectCommand({ Bucket: config.bucket, Key: o.key }));
        }
      }
      if (!s3?.bucket)
        await s.client.send(new DeleteBucketCommand({ Bucket: bucket })).catch(() => undefined);
    },
  });
});
