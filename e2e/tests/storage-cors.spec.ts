// Browser reality for both storage backends: a page PUTs a multipart part cross-origin to a presigned URL and reads its ETag.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { startExtraServer } from '../support/extra-server';
import { BASE_URL, E2E_PORT, E2E_SECRET, e2eDataDir } from '../support/server-env';
import { CEPH, ensureCeph, loadStorage } from '../support/storage';

interface PresignedPut {
  url: string;
  headers: Record<string, string>;
}

/** PUT `bytes` from inside the page (so CORS applies) and report what the browser let the page see. */
async function putFromPage(page: Page, request: PresignedPut, bytes: Buffer) {
  return page.evaluate(
    async ({ url, headers, body }) => {
      const res = await fetch(url, { method: 'PUT', headers, body: new Uint8Array(body) });
      return { status: res.status, etag: res.headers.get('ETag') };
    },
    { url: request.url, headers: request.headers, body: [...bytes] },
  );
}

const part = randomBytes(64 * 1024);
const partMd5 = createHash('md5').update(part).digest();
const key = () => `e2e/cors/${randomUUID()}/part.bin`;

test('fs backend: a part PUT from the app to the other loopback origin exposes its ETag', async ({
  page,
}) => {
  await page.goto(`${BASE_URL}/`);
  const { storage } = await loadStorage();
  // Sign as the server does (same secret and objects dir), but for http://localhost:PORT: a different origin.
  const store = await storage.createObjectStore({
    kind: 'fs',
    dir: path.join(e2eDataDir(), 'objects'),
    secret: E2E_SECRET,
    publicBaseUrl: `http://localhost:${E2E_PORT}`,
  });
  const objectKey = key();
  const { uploadId } = await store.createMultipart(objectKey, {
    contentType: 'application/octet-stream',
  });
  const request = await store.presignPart(
    objectKey,
    { uploadId, partNumber: 1 },
    { size: part.length, contentMd5: partMd5.toString('base64'), expiresIn: 300 },
  );
  expect(new URL(request.url).origin).not.toBe(new URL(page.url()).origin);

  const result = await putFromPage(page, request, part);

  expect(result.status).toBe(200);
  const stored = await store.listParts(objectKey, uploadId);
  expect(stored).toHaveLength(1);
  expect(result.etag).toBe(stored[0]?.etag);
  expect(result.etag).toContain(partMd5.toString('hex'));
  await store.abortMultipart(objectKey, uploadId);
});

test('s3 backend (Ceph RGW): a part PUT from the app to the bucket exposes its ETag', async ({
  page,
}) => {
  test.setTimeout(180_000);
  ensureCeph();
  const { storage, s3 } = await loadStorage();
  const port = E2E_PORT + 2;
  const appOrigin = `http://127.0.0.1:${port}`;
  const bucket = `e2e-cors-${Date.now()}`;
  const config = { kind: 's3' as const, ...CEPH, bucket, forcePathStyle: true };
  const client = s3.createS3Client(storage.s3StoreConfigSchema.parse(config));
  await storage.ensureBucket(client, bucket, { corsOrigins: [appOrigin] });
  // An app configured for this bucket, so its CSP (connect-src) allows the storage origin, as in production.
  const app = await startExtraServer(port, {
    FIELDVAULT_STORAGE: 's3',
    S3_ENDPOINT: CEPH.endpoint,
    S3_REGION: CEPH.region,
    S3_BUCKET: bucket,
    S3_ACCESS_KEY_ID: CEPH.accessKeyId,
    S3_SECRET_ACCESS_KEY: CEPH.secretAccessKey,
    S3_FORCE_PATH_STYLE: 'true',
  });
  try {
    await page.goto(`${app.baseURL}/`);
    const store = await storage.createObjectStore(config);
    const objectKey = key();
    const { uploadId } = await store.createMultipart(objectKey, {
      contentType: 'application/octet-stream',
    });
    const presign = (partNumber: number) =>
      store.presignPart(
        objectKey,
        { uploadId, partNumber },
        { size: part.length, contentMd5: partMd5.toString('base64'), expiresIn: 300 },
      );

    const result = await putFromPage(page, await presign(1), part);

    expect(result.status).toBe(200);
    // S3's part ETag is the quoted MD5 of the part: the page reads it only because CORS exposes it.
    expect(result.etag).toBe(`"${partMd5.toString('hex')}"`);
    const stored = await store.listParts(objectKey, uploadId);
    expect(stored.map((p) => p.etag)).toEqual([result.etag]);

    // CORS rules that do not name the app's origin: the browser blocks the same PUT.
    await storage.ensureBucket(client, bucket, { corsOrigins: ['http://example.invalid'] });
    await expect(putFromPage(page, await presign(2), part)).rejects.toThrow(/Failed to fetch/);
    await store.abortMultipart(objectKey, uploadId);
  } finally {
    await app.stop();
  }
});
