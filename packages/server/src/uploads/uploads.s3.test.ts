// The upload protocol against the s3 backend on the project's Ceph RGW (MD5-bound URLs, stream-hash verification), on PostgreSQL.
import { createHash, randomBytes } from 'node:crypto';
import { DeleteBucketCommand, DeleteObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ensureBucket, S3ObjectStore } from '../storage/index.js';
import { createS3Client } from '../storage/s3/s3-client.js';
import { s3StoreConfigSchema, type S3StoreConfig } from '../storage/s3/s3-config.js';
import {
  beginInput,
  createUploadKit,
  expectState,
  jpegBytes,
  keysUnder,
  partBytes,
  put,
  readObject,
  sha256,
  TYPE_CASES,
  type Caller,
  type UploadKit,
} from './uploads.test-kit.js';
import { expectCode } from '../test/expect-error.js';

const s3 = inject('s3');
const bucket = `fv-uploads-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
const MiB = 1024 * 1024;

describe.skipIf(!s3)('uploads on postgres (s3 backend, Ceph RGW)', () => {
  let store: S3ObjectStore;
  let kit: UploadKit;
  let field: Caller;
  beforeAll(async () => {
    if (!s3) return;
    const config: S3StoreConfig = {
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
    store = await S3ObjectStore.create(config);
    kit = await createUploadKit('postgres', store);
    field = await kit.as(kit.orgA.users.field);
  });
  afterAll(async () => {
    if (!kit) return;
    for (const prefix of [`${kit.orgA.orgId}/`, `quarantine/${kit.orgA.orgId}/`]) {
      for await (const u of store.listMultipartUploads(prefix))
        await store.abortMultipart(u.key, u.uploadId);
      for (const key of await keysUnder(store, prefix)) {
        await store.client.send(
          new DeleteObjectCommand({ Bucket: s3?.bucket ?? bucket, Key: key }),
        );
      }
    }
    if (!s3?.bucket)
      await store.client.send(new DeleteBucketCommand({ Bucket: bucket })).catch(() => undefined);
    await kit.destroy();
  });

  it('single PUT bound by Content-MD5 (Ceph does not enforce SHA-256), verified by streaming the object', async () => {
    expect(store.capabilities().checksumSha256Enforced).toBe(false);
    const bytes = jpegBytes(300_000);
    const input = beginInput(bytes);
    const begun = expectState(await field.uploads.begin(input), 'single');
    expect(begun.put.headers['Content-MD5']).toBe(input.md5);
    const wrong = Buffer.from(bytes);
    wrong[10] = (wrong[10] ?? 0) ^ 1;
    expect((await put(begun.put, wrong)).status).toBe(400);
    expect((await put(begun.put, bytes)).status).toBe(200);
    const done = await field.uploads.complete({ sessionId: begun.sessionId });
    expect(done).toMatchObject({ state: 'verified', file: { sha256: input.sha256 } });
    expect(sha256(await readObject(store, done.file.key))).toBe(input.sha256);
    const session = await kit.h.test.db
      .selectFrom('upload_sessions')
      .selectAll()
      .where('id', '=', begun.sessionId)
      .executeTakeFirstOrThrow();
    expect(session).toMatchObject({ state: 'completed', binding: 'md5' });
  });

  it('without md5 a small file still uploads, as one unbound part the SHA-256 check verifies', async () => {
    const bytes = jpegBytes(1000);
    const input = beginInput(bytes);
    delete input.md5;
    const begun = expectState(await field.uploads.begin(input), 'multipart');
    expect(begun).toMatchObject({ partCount: 1, partSize: 1000 });
    const part = begun.parts[0];
    if (!part) throw new Error('no part 1');
    expect(part.headers['Content-MD5']).toBeUndefined();
    const session = await kit.h.test.db
      .selectFrom('upload_sessions')
      .selectAll()
      .where('id', '=', begun.sessionId)
      .executeTakeFirstOrThrow();
    expect(session.binding).toBe('none');
    expect((await put(part, bytes)).status).toBe(200);
    const done = await field.uploads.complete({ sessionId: begun.sessionId });
    expect(done).toMatchObject({ state: 'verified', file: { sha256: input.sha256, size: 1000 } });
  });

  it('multipart with per-part MD5s: resume from listParts, server completes, 20 concurrent completes agree', async () => {
    const bytes = jpegBytes(17 * MiB);
    const input = beginInput(bytes);
    const begun = expectState(await field.uploads.begin(input), 'multipart');
    const [p1, p2, p3] = begun.parts;
    if (!p1 || !p2 || !p3) throw new Error('expected 3 parts');
    expect((await put(p1, partBytes(bytes, 1))).status).toBe(200);
    expect(
      (await field.uploads.listParts({ sessionId: begun.sessionId })).parts.map(
        (p) => p.partNumber,
      ),
    ).toEqual([1]);
    for (const p of [p2, p3])
      expect((await put(p, partBytes(bytes, p.partNumber))).status).toBe(200);
    const outs = await Promise.all(
      Array.from({ length: 20 }, () => field.uploads.complete({ sessionId: begun.sessionId })),
    );
    expect(new Set(outs.map((o) => JSON.stringify(o))).size).toBe(1);
    expect(outs[0]?.state).toBe('verified');
    expect(sha256(await readObject(store, outs[0]?.file.key ?? ''))).toBe(input.sha256);
    const verified = await kit.h.test.db
      .selectFrom('audit_events')
      .select('action')
      .where('capture_id', '=', input.captureId)
      .execute();
    expect(verified.map((r) => r.action)).toEqual([
      'UPLOAD_BEGUN',
      'UPLOAD_COMPLETED',
      'UPLOAD_VERIFIED',
    ]);
  });

  it('wrong bytes with a matching MD5 (storage cannot tell) → mismatch, quarantined in the bucket', async () => {
    const bytes = jpegBytes(2000);
    const wrong = jpegBytes(2000);
    // A device bug: the MD5 describes the bytes it sent, the SHA-256 the capture.
    const input = beginInput(bytes, { md5: createHash('md5').update(wrong).digest('base64') });
    const begun = expectState(await field.uploads.begin(input), 'single');
    expect((await put(begun.put, wrong)).status).toBe(200);
    const out = await field.uploads.complete({ sessionId: begun.sessionId });
    expect(out).toMatchObject({ state: 'mismatch', actualSha256: sha256(wrong) });
    expect(out.file.key.startsWith('quarantine/')).toBe(true);
    expect(await store.head(out.file.key.slice('quarantine/'.length))).toBeNull();
    expect(sha256(await readObject(store, out.file.key))).toBe(sha256(wrong));
  });

  it.each(TYPE_CASES)(
    'content type sniffed from a ranged read of the bucket: $name',
    async ({ bytes, contentType, filename, refusedAs }) => {
      const input = beginInput(bytes, { contentType, filename });
      const begun = expectState(await field.uploads.begin(input), 'single');
      expect((await put(begun.put, bytes)).status).toBe(200);
      if (refusedAs === null) {
        const done = await field.uploads.complete({ sessionId: begun.sessionId });
        expect(done.state).toBe('verified');
        return;
      }
      const error = await expectCode(
        field.uploads.complete({ sessionId: begun.sessionId }),
        'TYPE_MISMATCH',
      );
      expect(error.data.details).toMatchObject({
        declaredType: contentType,
        detectedType: refusedAs,
      });
      const row = await kit.h.test.db
        .selectFrom('files')
        .selectAll()
        .where('capture_id', '=', input.captureId)
        .executeTakeFirstOrThrow();
      expect(row.status).toBe('mismatch');
      expect(row.key.startsWith('quarantine/')).toBe(true);
      expect(await store.head(row.key.slice('quarantine/'.length))).toBeNull();
      expect(sha256(await readObject(store, row.key))).toBe(input.sha256);
    },
  );

  it('abort removes the multipart upload from the bucket', async () => {
    const input = beginInput(jpegBytes(17 * MiB));
    const begun = expectState(await field.uploads.begin(input), 'multipart');
    await field.uploads.abort({ sessionId: begun.sessionId });
    const left = [];
    for await (const u of store.listMultipartUploads(`${kit.orgA.orgId}/`))
      if (u.key.includes(input.captureId)) left.push(u);
    expect(left).toEqual([]);
  });
});
