// Runs the storage contract against the fs backend behind a real Fastify server, plus fs-only path-escape checks.
import { createHash, randomBytes } from 'node:crypto';
import {
  cp,
  link,
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  rename,
  rm,
  utimes,
  writeFile,
} from 'node:fs/promises';
import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storageContract } from '../contract.js';
import { isStorageError } from '../errors.js';
import { probeStorage } from '../probe.js';
import { FS_ROUTE_PREFIX } from './fs-config.js';
import { fsStorageRoutes } from './fs-routes.js';
import { FsObjectStore } from './fs-store.js';

const secret = randomBytes(32).toString('hex');

/** A data dir and a Fastify server with the byte routes on 127.0.0.1:<random port>. */
async function startServer(): Promise<{ app: FastifyInstance; dir: string; baseUrl: string }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'fv-fs-store-'));
  // The routes only verify and write; the URL base matters to the presigning side, created after listen.
  const routesStore = await new FsObjectStore({
    kind: 'fs',
    dir,
    secret,
    publicBaseUrl: 'http://placeholder',
  }).init();
  // fetch may finish reading a response a tick before the server sees it finish; close() then finds
  // that socket busy, skips it, and waits out Fastify's 72 s keepAliveTimeout. Tests close hard.
  const app = Fastify({ forceCloseConnections: true });
  await app.register(fsStorageRoutes, {
    prefix: FS_ROUTE_PREFIX,
    store: routesStore,
    corsOrigins: ['http://localhost:5173'],
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  return { app, dir, baseUrl: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}` };
}

const openStore = (dir: string, baseUrl: string): Promise<FsObjectStore> =>
  new FsObjectStore({ kind: 'fs', dir, secret, publicBaseUrl: baseUrl }).init();

storageContract('fs', async () => {
  const { app, dir, baseUrl } = await startServer();
  return {
    store: await openStore(dir, baseUrl),
    restart: () => openStore(dir, baseUrl),
    prefix: 'org1/accounting/receipt/',
    cleanup: async () => {
      await app.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
});

/** PUT with a raw, unnormalised path (fetch and URL() would resolve `..` before sending). */
function rawPut(baseUrl: string, rawPath: string): Promise<number> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const req = request(
      { host: hostname, port, method: 'PUT', path: rawPath, headers: { 'content-length': '3' } },
      (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      },
    );
    req.on('error', reject);
    req.end('abc');
  });
}

describe('fs backend specifics', () => {
  let server: Awaited<ReturnType<typeof startServer>>;
  let store: FsObjectStore;
  beforeAll(async () => {
    server = await startServer();
    store = await openStore(server.dir, server.baseUrl);
  });
  afterAll(async () => {
    await server.app.close();
    await rm(server.dir, { recursive: true, force: true });
  });

  it('passes the readiness probe', async () => {
    expect((await probeStorage(store)).ms).toBeGreaterThanOrEqual(0);
    const keys = [];
    for await (const o of store.list('.fieldvault-probe/')) keys.push(o.key);
    expect(keys).toEqual([]);
  });

  it('removes temp files a crash left behind when a store starts', async () => {
    const stale = path.join(store.layout.tmpDir, 'crashed.tmp');
    const fresh = path.join(store.layout.tmpDir, 'in-flight.tmp');
    await writeFile(stale, 'x');
    await writeFile(fresh, 'x');
    const twoDaysAgo = new Date(Date.now() - 48 * 3600 * 1000);
    await utimes(stale, twoDaysAgo, twoDaysAgo);
    await openStore(server.dir, server.baseUrl);
    const left = await readdir(store.layout.tmpDir);
    expect(left).toContain('in-flight.tmp');
    expect(left).not.toContain('crashed.tmp');
    await rm(fresh);
  });

  it('in-place parts: a bad retry drops the part instead of keeping a record that lies', async () => {
    const k = 'inplace/a.bin';
    const part = randomBytes(5 * 1024 * 1024);
    const { uploadId } = await store.createMultipart(k, {
      contentType: 'x/y',
      partSize: part.length,
    });
    const md5 = createHash('md5').update(part).digest('base64');
    const put = async (body: Uint8Array): Promise<number> => {
      const req = await store.presignPart(
        k,
        { uploadId, partNumber: 1 },
        { size: part.length, contentMd5: md5, expiresIn: 60 },
      );
      return (await fetch(req.url, { method: 'PUT', headers: req.headers, body })).status;
    };
    expect(await put(part)).toBe(200);
    expect(await put(randomBytes(part.length))).toBe(400);
    expect(await store.listParts(k, uploadId)).toEqual([]);
    expect(await put(part)).toBe(200);
    const [first] = await store.listParts(k, uploadId);
    const info = await store.completeMultipart(k, uploadId, [
      { partNumber: 1, etag: first?.etag ?? '' },
    ]);
    expect(info.sha256).toBe(createHash('sha256').update(part).digest('hex'));
  });

  it('in-place parts: a client that dies mid-body leaves no part and the retry succeeds', async () => {
    const k = 'inplace/cut.bin';
    const part = randomBytes(3 * 1024 * 1024);
    const { uploadId } = await store.createMultipart(k, {
      contentType: 'x/y',
      partSize: part.length,
    });
    const params = { method: 'PUT' as const, key: k, uploadId, partNumber: 1, expires: 0 };
    let sent = false;
    const cut = new Readable({
      read() {
        if (sent) {
          this.destroy(new Error('client went away'));
          return;
        }
        sent = true;
        this.push(part.subarray(0, 2 * 1024 * 1024));
      },
    });
    await expect(store.receive(params, cut)).rejects.toThrow('client went away');
    expect(await store.listParts(k, uploadId)).toEqual([]);
    const { etag } = await store.receive(params, Readable.from([part]));
    const info = await store.completeMultipart(k, uploadId, [{ partNumber: 1, etag }]);
    expect(info.sha256).toBe(createHash('sha256').update(part).digest('hex'));
  });

  it('in-place parts: a newer PUT of a part stops a stalled one, whose late bytes never land', async () => {
    const k = 'inplace/stalled.bin';
    const MiB = 1024 * 1024;
    const part = randomBytes(5 * MiB);
    const wrong = randomBytes(5 * MiB);
    const { uploadId } = await store.createMultipart(k, { contentType: 'x/y', partSize: 5 * MiB });
    const params = { method: 'PUT' as const, key: k, uploadId, partNumber: 1, expires: 0 };
    // The stalled PUT sends 2 MiB of other bytes, then waits; the rest would follow on release.
    let taken = (): void => undefined;
    const firstTaken = new Promise<void>((resolve) => (taken = resolve));
    let release = (): void => undefined;
    const released = new Promise<void>((resolve) => (release = resolve));
    let reads = 0;
    const stalled = new Readable({
      read() {
        if (reads++ === 0) this.push(wrong.subarray(0, 2 * MiB));
        else {
          taken();
          void released.then(() => {
            this.push(wrong.subarray(2 * MiB));
            this.push(null);
          });
        }
      },
    });
    const late = store.receive(params, stalled);
    late.catch(() => undefined);
    await firstTaken;
    const { etag } = await store.receive(params, Readable.from([part]));
    release();
    await expect(late).rejects.toMatchObject({ code: 'invalid_part' });
    const info = await store.completeMultipart(k, uploadId, [{ partNumber: 1, etag }]);
    const sha = createHash('sha256').update(part).digest('hex');
    expect(info.sha256).toBe(sha);
    const obj = await store.openForRead(k);
    expect(
      createHash('sha256')
        .update(await readFile(obj?.file ?? ''))
        .digest('hex'),
    ).toBe(sha);
  });

  it('in-place parts: completing stops a PUT still writing, so the object never takes its bytes', async () => {
    const k = 'inplace/sealed.bin';
    const MiB = 1024 * 1024;
    const part = randomBytes(5 * MiB);
    const { uploadId } = await store.createMultipart(k, { contentType: 'x/y', partSize: 5 * MiB });
    const params = { method: 'PUT' as const, key: k, uploadId, expires: 0 };
    const first = await store.receive({ ...params, partNumber: 1 }, Readable.from([part]));
    const second = await store.receive({ ...params, partNumber: 2 }, Readable.from([part]));
    // A retry of part 2 that stalls after 1 MiB: it has dropped part 2's record, so completing with
    // the ETags the client holds fails cleanly, and the stalled PUT is stopped rather than left to write.
    let taken = (): void => undefined;
    const firstTaken = new Promise<void>((resolve) => (taken = resolve));
    let reads = 0;
    const stalled = new Readable({
      read() {
        if (reads++ === 0) this.push(part.subarray(0, MiB));
        else taken();
      },
    });
    const retry = store.receive({ ...params, partNumber: 2 }, stalled);
    retry.catch(() => undefined);
    await firstTaken;
    const parts = [
      { partNumber: 1, etag: first.etag },
      { partNumber: 2, etag: second.etag },
    ];
    await expect(store.completeMultipart(k, uploadId, parts)).rejects.toMatchObject({
      code: 'invalid_part',
    });
    await expect(retry).rejects.toMatchObject({ code: 'not_found' });
    // The upload is released: part 2 sent again, the upload completes with the right bytes.
    const again = await store.receive({ ...params, partNumber: 2 }, Readable.from([part]));
    const info = await store.completeMultipart(k, uploadId, [
      { partNumber: 1, etag: first.etag },
      { partNumber: 2, etag: again.etag },
    ]);
    const whole = Buffer.concat([part, part]);
    expect(info.sha256).toBe(createHash('sha256').update(whole).digest('hex'));
    const after = await store.presignPart(k, { uploadId, partNumber: 1 }, { expiresIn: 60 });
    expect((await fetch(after.url, { method: 'PUT', body: part })).status).toBe(404);
  });

  it('a complete that stopped after publishing the object, before removing the upload, is finished by the next one', async () => {
    const k = 'inplace/half-done.bin';
    const part = randomBytes(5 * 1024 * 1024);
    const { uploadId } = await store.createMultipart(k, {
      contentType: 'x/y',
      partSize: part.length,
    });
    const params = { method: 'PUT' as const, key: k, uploadId, expires: 0 };
    const parts = [];
    for (const partNumber of [1, 2]) {
      const { etag } = await store.receive({ ...params, partNumber }, Readable.from([part]));
      parts.push({ partNumber, etag });
    }
    // The upload as it was before completing, put back after: as if the process died between the two.
    const dir = path.join(store.layout.uploadsDir, uploadId);
    const saved = `${dir}.saved`;
    await cp(dir, saved, { recursive: true });
    const done = await store.completeMultipart(k, uploadId, parts);
    await rename(saved, dir);
    // In place, the upload's data file and the object are one file under two names.
    const object = (await store.openForRead(k))?.file ?? '';
    await rm(path.join(dir, 'data'));
    await link(object, path.join(dir, 'data'));
    // A part PUT now (its URL is still valid) must not write into the published object.
    await expect(
      store.receive({ ...params, partNumber: 1 }, Readable.from([randomBytes(part.length)])),
    ).rejects.toMatchObject({ code: 'not_found' });
    const whole = createHash('sha256')
      .update(Buffer.concat([part, part]))
      .digest('hex');
    expect(
      createHash('sha256')
        .update(await readFile(object))
        .digest('hex'),
    ).toBe(whole);
    expect(await store.completeMultipart(k, uploadId, parts)).toEqual(done);
    await expect(readdir(dir)).rejects.toMatchObject({ code: 'ENOENT' });
    // Another upload's parts at the same key are still refused.
    const other = await store.createMultipart(k, { contentType: 'x/y', partSize: part.length });
    const { etag } = await store.receive(
      { ...params, uploadId: other.uploadId, partNumber: 1 },
      Readable.from([randomBytes(1024)]),
    );
    await expect(
      store.completeMultipart(k, other.uploadId, [{ partNumber: 1, etag }]),
    ).rejects.toMatchObject({ code: 'object_exists' });
  });

  it('answers a failure on the server without its message (no server paths), and a vanished upload as 404', async () => {
    const k = 'inplace/vanished.bin';
    const { uploadId } = await store.createMultipart(k, { contentType: 'x/y', partSize: 1024 });
    const data = path.join(store.layout.uploadsDir, uploadId, 'data');
    const put = async (): Promise<{ status: number; text: string }> => {
      const req = await store.presignPart(k, { uploadId, partNumber: 1 }, { expiresIn: 60 });
      const res = await fetch(req.url, { method: 'PUT', body: randomBytes(1024) });
      return { status: res.status, text: await res.text() };
    };
    await rm(data);
    await mkdir(data);
    const failed = await put();
    expect(failed.status).toBe(500);
    expect(JSON.parse(failed.text)).toEqual({
      code: 'internal',
      message: 'storage failed on the server; try again',
    });
    expect(failed.text).not.toContain(server.dir);
    await rm(data, { recursive: true });
    const gone = await put();
    expect(gone.status).toBe(404);
    expect(gone.text).not.toContain(server.dir);
  });

  it('reports fixed capabilities', () => {
    expect(store.capabilities()).toMatchObject({
      backend: 'fs',
      checksumSha256Enforced: true,
      contentMd5Enforced: true,
      conditionalWrites: true,
    });
  });

  it.each([
    '../x',
    '../../etc/passwd',
    '/etc/passwd',
    'a/../b',
    'a/./b',
    'a//b',
    'a/',
    'a\\..\\b',
    'a\0b',
    '',
  ])('refuses the key %j', async (bad) => {
    const options = { size: 1, contentType: 'text/plain', sha256: 'a'.repeat(64), expiresIn: 60 };
    await expect(store.presignPut(bad, options)).rejects.toSatisfy((e) =>
      isStorageError(e, 'invalid_key'),
    );
    await expect(
      store.putObject(bad, Buffer.from('x'), { contentType: 'text/plain' }),
    ).rejects.toSatisfy((e) => isStorageError(e, 'invalid_key'));
    expect(await store.head(bad).catch((e: unknown) => e)).toSatisfy((e) =>
      isStorageError(e, 'invalid_key'),
    );
  });

  it('treats a literal %2e%2e as a name that stays inside the root', async () => {
    await store.putObject('t/%2e%2e/x.txt', Buffer.from('ok'), { contentType: 'text/plain' });
    expect((await store.head('t/%2e%2e/x.txt'))?.size).toBe(2);
    const keys = [];
    for await (const o of store.list('t/')) keys.push(o.key);
    expect(keys).toEqual(['t/%2e%2e/x.txt']);
  });

  it.each([
    '/storage/o/..%2f..%2fescape.txt',
    '/storage/o/%2e%2e/%2e%2e/escape.txt',
    '/storage/o/a/..%5c..%5cescape.txt',
    '/storage/o/%2fetc%2fescape',
  ])('answers 4xx to the raw path %s and writes nothing outside the root', async (rawPath) => {
    const status = await rawPut(server.baseUrl, rawPath);
    expect(status).toBeGreaterThanOrEqual(400);
    expect(status).toBeLessThan(500);
    expect((await readdir(path.dirname(server.dir))).filter((n) => n.startsWith('escape'))).toEqual(
      [],
    );
  });

  it('serves Range requests, HEAD and CORS with ETag exposed', async () => {
    const body = randomBytes(1000);
    await store.putObject('r/file.bin', body, { contentType: 'application/octet-stream' });
    const { url } = await store.presignGet('r/file.bin', { expiresIn: 60 });
    const part = await fetch(url, {
      headers: { range: 'bytes=100-199', origin: 'http://localhost:5173' },
    });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe('bytes 100-199/1000');
    expect(part.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
    expect(part.headers.get('access-control-expose-headers')).toBe('ETag');
    expect(Buffer.from(await part.arrayBuffer()).equals(body.subarray(100, 200))).toBe(true);
    const suffix = await fetch(url, { headers: { range: 'bytes=-10' } });
    expect(Buffer.from(await suffix.arrayBuffer()).equals(body.subarray(990))).toBe(true);
    expect((await fetch(url, { headers: { range: 'bytes=5000-' } })).status).toBe(416);
    const head = await fetch(url, { method: 'HEAD' });
    expect(head.headers.get('content-length')).toBe('1000');
    const preflight = await fetch(url, {
      method: 'OPTIONS',
      headers: {
        origin: 'http://localhost:5173',
        'access-control-request-method': 'PUT',
        'access-control-request-headers': 'content-md5',
      },
    });
    expect(preflight.status).toBe(200);
    expect(preflight.headers.get('access-control-allow-methods')).toContain('PUT');
  });
});
