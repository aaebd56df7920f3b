// The background prefix hasher of in-place uploads: whatever order, retries or restarts, the recorded SHA-256 is the real one.
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, open, readdir, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { uploadDir } from './fs-multipart.js';
import { hasherIdle, resetPrefixHashersForTests, takeHashedPrefix } from './fs-prefix-hash.js';
import { FsObjectStore } from './fs-store.js';

const MiB = 1024 * 1024;
const PART = 5 * MiB;
const key = 'prefix/object.bin';

const sha256 = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');
const md5Hex = (b: Uint8Array): string => createHash('md5').update(b).digest('hex');

let dir: string;
let store: FsObjectStore;

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'fv-prefix-hash-'));
  store = await new FsObjectStore({
    kind: 'fs',
    dir,
    secret: randomBytes(32).toString('hex'),
    publicBaseUrl: 'http://127.0.0.1:1',
  }).init();
});
afterEach(async () => {
  resetPrefixHashersForTests();
  await rm(dir, { recursive: true, force: true });
});

/** An in-place upload of `body` in 5 MiB parts; `put(n, bytes?)` sends part n (its own bytes by default). */
async function startUpload(body: Buffer): Promise<{
  uploadId: string;
  put: (n: number, bytes?: Buffer) => Promise<string>;
  complete: () => Promise<string | undefined>;
  parts: () => { partNumber: number; etag: string }[];
  count: number;
}> {
  const { uploadId } = await store.createMultipart(key, { contentType: 'x/y', partSize: PART });
  const count = Math.ceil(body.length / PART);
  const slice = (n: number): Buffer => body.subarray((n - 1) * PART, n * PART);
  const etags = new Map<number, string>();
  const put = async (n: number, bytes = slice(n)): Promise<string> => {
    const params = { method: 'PUT' as const, key, uploadId, partNumber: n, expires: 0 };
    const { etag } = await store.receive(params, Readable.from([bytes]));
    etags.set(n, etag);
    return etag;
  };
  const parts = (): { partNumber: number; etag: string }[] =>
    [...etags].sort((a, b) => a[0] - b[0]).map(([partNumber, etag]) => ({ partNumber, etag }));
  const complete = async (): Promise<string | undefined> =>
    (await store.completeMultipart(key, uploadId, parts())).sha256;
  return { uploadId, put, complete, parts, count };
}

describe('fs prefix hasher', () => {
  it('hashes the contiguous prefix while parts arrive out of order', async () => {
    const body = randomBytes(3 * PART + 1234);
    const up = await startUpload(body);
    const updir = uploadDir(store.layout, up.uploadId);
    await up.put(3);
    await up.put(1);
    await hasherIdle(updir);
    await up.put(4);
    await up.put(2);
    await hasherIdle(updir);
    // Every part was hashed in the background: completing has nothing left to read.
    const prefix = await takeHashedPrefix(updir, up.parts());
    expect(prefix?.bytes).toBe(body.length);
    expect(await prefix?.sha.digest()).toBe(sha256(body));
  });

  it('refuses its prefix for parts other than the ones it hashed', async () => {
    const body = randomBytes(2 * PART);
    const up = await startUpload(body);
    await up.put(1);
    await up.put(2);
    const updir = uploadDir(store.layout, up.uploadId);
    await hasherIdle(updir);
    expect(
      await takeHashedPrefix(updir, [{ etag: md5Hex(randomBytes(1)) }, ...up.parts()]),
    ).toBeUndefined();
    expect(await up.complete()).toBe(sha256(body));
  });

  it('rewinds when an already hashed part is uploaded again with other bytes', async () => {
    const body = randomBytes(3 * PART);
    const up = await startUpload(body);
    for (let n = 1; n <= up.count; n++) await up.put(n);
    await hasherIdle(uploadDir(store.layout, up.uploadId));
    const other = randomBytes(PART);
    await up.put(2, other);
    other.copy(body, PART);
    const updir = uploadDir(store.layout, up.uploadId);
    await hasherIdle(updir);
    const prefix = await takeHashedPrefix(updir, up.parts());
    expect(prefix?.bytes).toBe(body.length);
    expect(await prefix?.sha.digest()).toBe(sha256(body));
  });

  it('survives a restart mid-upload: the new process hashes from part 1', async () => {
    const body = randomBytes(3 * PART + 7);
    const up = await startUpload(body);
    await up.put(1);
    await up.put(2);
    await hasherIdle(uploadDir(store.layout, up.uploadId));
    resetPrefixHashersForTests();
    await up.put(3);
    await up.put(4);
    const updir = uploadDir(store.layout, up.uploadId);
    await hasherIdle(updir);
    expect((await takeHashedPrefix(updir, up.parts()))?.bytes).toBe(body.length);
    resetPrefixHashersForTests();
    await up.put(2); // after a second restart, completion hashes whatever is left
    expect(await up.complete()).toBe(sha256(body));
  });

  it('notices a part another process rewrote behind its back (no notification)', async () => {
    const body = randomBytes(3 * PART);
    const up = await startUpload(body);
    for (let n = 1; n <= up.count; n++) await up.put(n);
    const updir = uploadDir(store.layout, up.uploadId);
    await hasherIdle(updir);
    // What a second replica's receive would do to part 2: new bytes in the region, new marker.
    const other = randomBytes(PART);
    const fh = await open(path.join(updir, 'data'), 'r+');
    await fh.write(other, 0, PART, PART);
    await fh.close();
    const oldMarker = (await readdir(updir)).find((n) => n.startsWith('part-00002-')) ?? '';
    await rename(
      path.join(updir, oldMarker),
      path.join(updir, `part-00002-${md5Hex(other)}-${PART}`),
    );
    other.copy(body, PART);
    const parts = [1, 2, 3].map((n) => ({
      partNumber: n,
      etag: `"${md5Hex(body.subarray((n - 1) * PART, n * PART))}"`,
    }));
    const done = await store.completeMultipart(key, up.uploadId, parts);
    expect(done.sha256).toBe(sha256(body));
  });

  it('stops with an aborted upload and leaves nothing behind', async () => {
    const body = randomBytes(2 * PART);
    const up = await startUpload(body);
    await up.put(1);
    await up.put(2);
    await store.abortMultipart(key, up.uploadId);
    await new Promise((resolve) => setTimeout(resolve, 50)); // a stray loop would fail the run here
    expect(await readdir(store.layout.uploadsDir)).toEqual([]);
  });
});
