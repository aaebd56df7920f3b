// GET /api/files/export.zip: the filtered verified files, byte-exact, de-duplicated names, a manifest, audited; refusals write nothing.
import { createHash, randomBytes } from 'node:crypto';
import { DeleteBucketCommand, DeleteObjectCommand } from '@aws-sdk/client-s3';
import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { FileStatus } from '../db/schema.js';
import { buildApp } from '../http/app.js';
import { createMetrics } from '../metrics.js';
import { ensureBucket, S3ObjectStore } from '../storage/index.js';
import type { ObjectStore } from '../storage/object-store.js';
import { createS3Client } from '../storage/s3/s3-client.js';
import { s3StoreConfigSchema, type S3StoreConfig } from '../storage/s3/s3-config.js';
import { DB_KINDS, type DbKind } from '../test/db.js';
import { createHarness, type Harness, type SeededUser } from '../test/harness.js';
import { seedFile } from './files.test-kit.js';
import { parseCsv, readZip } from './zip-reader.test-kit.js';

type Org = Awaited<ReturnType<Harness['seedOrg']>>;
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const URL_BASE = '/api/files/export.zip';

function exportScenarios(setup: {
  kind: DbKind;
  store?: () => Promise<ObjectStore>;
  cleanup?: (store: ObjectStore, prefixes: string[]) => Promise<void>;
}) {
  let h: Harness;
  let store: ObjectStore;
  let app: FastifyInstance;
  let org: Org;
  let other: Org;
  const cookie = async (user: SeededUser) => `fv_session=${(await h.sessionFor(user)).token}`;
  const seed = (o: { objectId: string; filename: string; status?: FileStatus; orgOf?: Org }) => {
    const owner = o.orgOf ?? org;
    const bytes = randomBytes(5_000 + Math.floor(Math.random() * 5_000));
    return seedFile(
      { db: h.test.db, store },
      {
        orgId: owner.orgId,
        uploadedBy: owner.users.field.id,
        objectId: o.objectId,
        filename: o.filename,
        bytes,
        ...(o.status ? { status: o.status } : {}),
      },
    );
  };
  const exportsOf = (orgId: string) =>
    h.test.db
      .selectFrom('audit_events')
      .selectAll()
      .where('org_id', '=', orgId)
      .where('action', '=', 'FILES_EXPORTED')
      .execute();

  beforeAll(async () => {
    h = await createHarness(setup.kind);
    store = setup.store ? await setup.store() : h.deps.store;
    app = await buildApp({
      config: h.config,
      logger: pino({ level: 'silent' }),
      db: h.test.db,
      store,
      metrics: createMetrics(),
      clock: h.clock.now,
    });
    org = await h.seedOrg('export');
    other = await h.seedOrg('export-other');
  });
  afterAll(async () => {
    await app.close();
    await setup.cleanup?.(store, [`${org.orgId}/`, `${other.orgId}/`]);
    await h.destroy();
  });

  it('streams every matching verified file byte-exact, with unique names and a manifest; audited once', async () => {
    const a = await seed({ objectId: 'trip-1', filename: 'IMG_0001.jpg' });
    const b = await seed({ objectId: 'trip-1', filename: 'IMG_0001.jpg' });
    const c = await seed({ objectId: 'trip-1', filename: 'img_0001.JPG' });
    const d = await seed({ objectId: 'trip-2', filename: 'IMG_0001.jpg' });
    await seed({ objectId: 'trip-1', filename: 'gone.jpg', status: 'deleted' });
    await seed({ objectId: 'trip-1', filename: 'bad.jpg', status: 'mismatch' });
    await seed({ objectId: 'trip-1', filename: 'theirs.jpg', orgOf: other });
    const res = await app.inject({
      method: 'GET',
      url: `${URL_BASE}?filters=${encodeURIComponent(JSON.stringify({ system: 'accounting' }))}`,
      headers: { cookie: await cookie(org.users.auditor), 'sec-fetch-site': 'same-origin' },
    });
    expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
    expect(res.headers['content-type']).toBe('application/zip');
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="fieldvault-files-/);
    const entries = readZip(res.rawPayload);
    const manifest = parseCsv(entries.get('manifest.csv')?.toString('utf8') ?? '');
    const files = [a, b, c, d];
    expect(manifest.map((m) => m.fileId).sort()).toEqual(files.map((f) => f.id).sort());
    const paths = manifest.map((m) => m.zipPath ?? '');
    expect(new Set(paths.map((p) => p.toLowerCase())).size).toBe(4);
    expect([...entries.keys()].sort()).toEqual([...paths, 'manifest.csv'].sort());
    for (const m of manifest) {
      const row = files.find((f) => f.id === m.fileId);
      expect(m).toMatchObject({ sha256: row?.sha256, key: row?.key, exported: 'true' });
      expect(sha(entries.get(m.zipPath ?? '') ?? Buffer.alloc(0))).toBe(row?.sha256);
    }
    // Newest first decides who keeps the plain name; the three clashing names stay distinct.
    const trip1 = paths.filter((p) => p.startsWith('trip-1/')).map((p) => p.toLowerCase());
    expect(trip1.sort()).toEqual([
      'trip-1/img_0001 (2).jpg',
      'trip-1/img_0001 (3).jpg',
      'trip-1/img_0001.jpg',
    ]);
    const [audit, ...more] = await exportsOf(org.orgId);
    expect(more).toEqual([]);
    expect(audit).toMatchObject({
      actor_role: 'auditor',
      success: true,
      details: { count: 4, filters: { system: 'accounting', status: 'verified' }, format: 'zip' },
    });
    expect(await exportsOf(other.orgId)).toEqual([]);
  });

  it('filters like files.list; an object gone from storage is listed as not exported', async () => {
    const kept = await seed({ objectId: 'trip-9', filename: 'kept.pdf' });
    const lost = await seed({ objectId: 'trip-9', filename: 'lost.pdf' });
    await store.delete(lost.key);
    const res = await app.inject({
      method: 'GET',
      url: `${URL_BASE}?filters=${encodeURIComponent(JSON.stringify({ objectId: 'trip-9' }))}`,
      headers: { cookie: await cookie(org.users.office) },
    });
    expect(res.statusCode).toBe(200);
    const entries = readZip(res.rawPayload);
    expect([...entries.keys()].sort()).toEqual(['manifest.csv', 'trip-9/kept.pdf']);
    expect(sha(entries.get('trip-9/kept.pdf') ?? Buffer.alloc(0))).toBe(kept.sha256);
    const manifest = parseCsv(entries.get('manifest.csv')?.toString('utf8') ?? '');
    expect(manifest.find((m) => m.fileId === lost.id)).toMatchObject({
      exported: 'false',
      zipPath: '',
    });
  });

  it('refuses the signed-out, field staff, cross-site requests and bad filters — writing nothing', async () => {
    const before = (await exportsOf(org.orgId)).length;
    const filters = (f: unknown) => `${URL_BASE}?filters=${encodeURIComponent(JSON.stringify(f))}`;
    const office = await cookie(org.users.office);
    const cases: [string, Record<string, string>, number, string][] = [
      [URL_BASE, {}, 401, 'UNAUTHENTICATED'],
      [URL_BASE, { cookie: await cookie(org.users.field) }, 403, 'FORBIDDEN'],
      [URL_BASE, { cookie: office, 'sec-fetch-site': 'cross-site' }, 403, 'FORBIDDEN'],
      [URL_BASE, { cookie: office, origin: 'https://evil.example' }, 403, 'FORBIDDEN'],
      [filters({ system: 'payroll' }), { cookie: office }, 400, 'BAD_INPUT'],
      [filters({ status: 'mismatch' }), { cookie: office }, 400, 'BAD_INPUT'],
      [`${URL_BASE}?filters=%7Bnot-json`, { cookie: office }, 400, 'BAD_INPUT'],
    ];
    for (const [url, headers, status, errorCode] of cases) {
      const res = await app.inject({ method: 'GET', url, headers });
      expect(res.statusCode, url).toBe(status);
      expect(res.json()).toMatchObject({ error: { data: { errorCode } } });
    }
    const bad = await app.inject({
      method: 'GET',
      url: filters({ system: 'payroll' }),
      headers: { cookie: office },
    });
    expect(bad.json<{ error: { message: string } }>().error.message).toContain('filters.system');
    expect((await exportsOf(org.orgId)).length).toBe(before);
  });
}

describe.each(DB_KINDS)('files export on %s (fs)', (kind) => {
  exportScenarios({ kind });
});

const s3 = inject('s3');
const bucket = `fv-export-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;

describe.skipIf(!s3)('files export on postgres (s3, Ceph RGW)', () => {
  let config: S3StoreConfig;
  exportScenarios({
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
