// In-place part writes through 1 MiB slots: any chunking, refusals that leave nothing behind, resume after a restart.
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resetPrefixHashersForTests } from './fs-prefix-hash.js';
import { FsObjectStore } from './fs-store.js';

const MiB = 1024 * 1024;
const PART = 5 * MiB;
const key = 'slots/object.bin';
const secret = randomBytes(32).toString('hex');

const sha256 = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');
const md5 = (b: Uint8Array): Buffer => createHash('md5').update(b).digest();

let dir: string;
let store: FsObjectStore;

const openStore = (): Promise<FsObjectStore> =>
  new FsObjectStore({ kind: 'fs', dir, secret, publicBaseUrl: 'http://127.0.0.1:1' }).init();

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'fv-part-write-'));
  store = await openStore();
});
afterEach(async () => {
  resetPrefixHashersForTests();
  await rm(dir, { recursive: true, force: true });
});

/** `bytes` as a stream of `size`-byte chunks (the last one shorter). */
function chunked(bytes: Buffer, size: number): Readable {
  const chunks: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += size) chunks.push(bytes.subarray(at, at + size));
  return Readable.from(chunks);
}

/** Send part `n` of `uploadId`, signed for `signed` (size and Content-MD5), with the bytes of `body`. */
function put(
  on: FsObjectStore,
  target: { uploadId: string; n: number },
  o: { signed: Buffer; body: Readable },
): Promise<{ etag: string }> {
  const params = {
    method: 'PUT' as const,
    key,
    uploadId: target.uploadId,
    partNumber: target.n,
    size: o.signed.length,
    md5: md5(o.signed).toString('base64'),
    expires: 0,
  };
  return on.receive(params, o.body);
}

async function createUpload(): Promise<string> {
  return (await store.createMultipart(key, { contentType: 'x/y', partSize: PART })).uploadId;
}

describe('fs in-place part writes', () => {
  it('stores parts sent in chunks that straddle slot boundaries; ETags and SHA-256 are the bytes’', async () => {
    const body = randomBytes(PART + 3 * MiB + 17);
    const uploadId = await createUpload();
    const one = body.subarray(0, PART);
    const two = body.subarray(PART);
    const [a, b] = await Promise.all([
      put(store, { uploadId, n: 1 }, { signed: one, body: chunked(one, 65_537) }),
      put(store, { uploadId, n: 2 }, { signed: two, body: chunked(two, 1_000_003) }),
    ]);
    expect(a.etag).toBe(`"${md5(one).toString('hex')}"`);
    expect(b.etag).toBe(`"${md5(two).toString('hex')}"`);
    const parts = [a, b].map((p, i) => ({ partNumber: i + 1, etag: p.etag }));
    const info = await store.completeMultipart(key, uploadId, parts);
    expect(info.sha256).toBe(sha256(body));
  });

  it('refuses a part whose last slot differs from its signed MD5, records nothing, and the retry is stored', async () => {
    const body = randomBytes(PART);
    const tampered = Buffer.from(body);
    tampered[PART - 1] = (tampered[PART - 1] ?? 0) ^ 1;
    const uploadId = await createUpload();
    await expect(
      put(store, { uploadId, n: 1 }, { signed: body, body: chunked(tampered, 65_536) }),
    ).rejects.toMatchObject({ code: 'bad_digest' });
    expect(await store.listParts(key, uploadId)).toEqual([]);
    // The slots the refused part used go back to the pool: the retry must not see its bytes.
    const { etag } = await put(
      store,
      { uploadId, n: 1 },
      { signed: body, body: chunked(body, 65_536) },
    );
    const info = await store.completeMultipart(key, uploadId, [{ partNumber: 1, etag }]);
    expect(info.sha256).toBe(sha256(body));
  });

  it('refuses a body longer than signed as it arrives and records nothing', async () => {
    const body = randomBytes(2 * MiB);
    const uploadId = await createUpload();
    const longer = Buffer.concat([body, Buffer.from('x')]);
    await expect(
      put(store, { uploadId, n: 1 }, { signed: body, body: chunked(longer, 65_536) }),
    ).rejects.toMatchObject({ code: 'bad_size' });
    expect(await store.listParts(key, uploadId)).toEqual([]);
  });

  it('resumes after a restart mid-upload: a new instance lists the parts and completes with the right SHA-256', async () => {
    const body = randomBytes(2 * PART + 4321);
    const uploadId = await createUpload();
    const slice = (n: number): Buffer => body.subarray((n - 1) * PART, n * PART);
    const first = await put(
      store,
      { uploadId, n: 1 },
      { signed: slice(1), body: chunked(slice(1), 65_536) },
    );
    resetPrefixHashersForTests(); // the process died: its hash states are gone
    const after = await openStore();
    expect(await after.listParts(key, uploadId)).toEqual([
      { partNumber: 1, etag: first.etag, size: PART },
    ]);
    const rest = await Promise.all(
      [2, 3].map((n) =>
        put(after, { uploadId, n }, { signed: slice(n), body: chunked(slice(n), 65_536) }),
      ),
    );
    const parts = [first, ...rest].map((p, i) => ({ partNumber: i + 1, etag: p.etag }));
    const info = await after.completeMultipart(key, uploadId, parts);
    expect(info.sha256).toBe(sha256(body));
    expect(info.size).toBe(body.length);
  });
});
