// The one contract suite every ObjectStore backend must pass; backends call storageContract() from their *.test.ts.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contentDisposition } from './content-disposition.js';
import { isStorageError } from './errors.js';
import type { ObjectStore, PresignedRequest } from './object-store.js';
import {
  mapLimit,
  md5,
  readAll,
  send,
  sha256,
  sleep,
  tamperSignature,
} from './contract-helpers.js';

/** What a backend's test file provides. */
export interface ContractTarget {
  store: ObjectStore;
  /** A new store instance over the same storage: what the server sees after a restart. */
  restart(): Promise<ObjectStore>;
  /** Unique per run, ends with `/`. */
  prefix: string;
  cleanup?(): Promise<void>;
}

const MiB = 1024 * 1024;

/** Register the whole contract for one backend. */
export function storageContract(name: string, setup: () => Promise<ContractTarget>): void {
  describe(`ObjectStore contract: ${name}`, () => {
    let t: ContractTarget;
    let store: ObjectStore;
    const key = (s: string): string => `${t.prefix}${s}`;

    beforeAll(async () => {
      t = await setup();
      store = t.store;
    });
    afterAll(async () => {
      await t.cleanup?.();
    });

    /** Upload `body` through presigned part URLs (MD5 and size signed), in the given order, all at once. */
    async function putParts(
      s: ObjectStore,
      k: string,
      uploadId: string,
      parts: { n: number; body: Uint8Array }[],
    ) {
      return Promise.all(
        parts.map(async ({ n, body }) => {
          const req = await s.presignPart(
            k,
            { uploadId, partNumber: n },
            { size: body.length, contentMd5: md5(body), expiresIn: 300 },
          );
          const res = await send(req, body);
          expect(res.status, await res.clone().text()).toBe(200);
          return { partNumber: n, etag: res.headers.get('etag') ?? '' };
        }),
      );
    }

    async function presignedPut(
      k: string,
      body: Uint8Array,
      expiresIn = 300,
    ): Promise<PresignedRequest> {
      return store.presignPut(k, {
        size: body.length,
        contentType: 'image/jpeg',
        sha256: sha256(body),
        contentMd5: md5(body),
        expiresIn,
      });
    }

    it('single presigned PUT round trip: ETag, head, presigned GET, stream, range', async () => {
      const body = randomBytes(70_000);
      const k = key('single/receipt.jpg');
      const res = await send(await presignedPut(k, body), body);
      expect(res.status).toBe(200);
      expect(res.headers.get('etag')).toMatch(/^"[0-9a-f]{32}"$/);
      const info = await store.head(k);
      expect(info).toMatchObject({
        key: k,
        size: body.length,
        contentType: 'image/jpeg',
        etag: res.headers.get('etag'),
      });
      if (info?.sha256 !== undefined) expect(info.sha256).toBe(sha256(body));
      const got = await send(await store.presignGet(k, { expiresIn: 60 }));
      expect(Buffer.from(await got.arrayBuffer()).equals(body)).toBe(true);
      expect((await readAll(await store.getStream(k))).equals(body)).toBe(true);
      expect(
        (await readAll(await store.getStream(k, { start: 10, end: 19 }))).equals(
          body.subarray(10, 20),
        ),
      ).toBe(true);
      expect(await store.head(key('single/missing.jpg'))).toBeNull();
    });

    it('multipart: a 5 MiB part and a short last part, completed by the server', async () => {
      const body = randomBytes(5 * MiB + 1010);
      const k = key('multi/big.pdf');
      const { uploadId } = await store.createMultipart(k, { contentType: 'application/pdf' });
      const etags = await putParts(store, k, uploadId, [
        { n: 1, body: body.subarray(0, 5 * MiB) },
        { n: 2, body: body.subarray(5 * MiB) },
      ]);
      const listed = await store.listParts(k, uploadId);
      expect(listed.map((p) => [p.partNumber, p.size, p.etag])).toEqual([
        [1, 5 * MiB, etags[0]?.etag],
        [2, 1010, etags[1]?.etag],
      ]);
      const info = await store.completeMultipart(k, uploadId, etags);
      expect(info).toMatchObject({ key: k, size: body.length, contentType: 'application/pdf' });
      expect(info.etag).toMatch(/-2"$/);
      if (info.sha256 !== undefined) expect(info.sha256).toBe(sha256(body));
      expect(sha256(await readAll(await store.getStream(k)))).toBe(sha256(body));
    });

    it('multipart: parts out of order and in parallel', async () => {
      const body = randomBytes(10 * MiB + 333);
      const k = key('multi/parallel.zip');
      const { uploadId } = await store.createMultipart(k, {
        contentType: 'application/zip',
        partSize: 5 * MiB,
      });
      const slices = [
        body.subarray(0, 5 * MiB),
        body.subarray(5 * MiB, 10 * MiB),
        body.subarray(10 * MiB),
      ];
      const done = await putParts(
        store,
        k,
        uploadId,
        [3, 1, 2].map((n) => ({ n, body: slices[n - 1] as Uint8Array })),
      );
      const info = await store.completeMultipart(
        k,
        uploadId,
        [...done].sort((a, b) => a.partNumber - b.partNumber),
      );
      expect(info.size).toBe(body.length);
      expect(sha256(await readAll(await store.getStream(k)))).toBe(sha256(body));
    });

    it('multipart resumes after a restart: ListParts on a new instance', async () => {
      const body = randomBytes(5 * MiB + 77);
      const k = key('multi/resumed.pdf');
      const { uploadId } = await store.createMultipart(k, {
        contentType: 'application/pdf',
        partSize: 5 * MiB,
      });
      const [first] = await putParts(store, k, uploadId, [
        { n: 1, body: body.subarray(0, 5 * MiB) },
      ]);
      const after = await t.restart();
      expect(await after.listParts(k, uploadId)).toEqual([
        { partNumber: 1, etag: first?.etag, size: 5 * MiB },
      ]);
      const uploads = [];
      for await (const u of after.listMultipartUploads(key('multi/'))) uploads.push(u.uploadId);
      expect(uploads).toContain(uploadId);
      const [second] = await putParts(after, k, uploadId, [{ n: 2, body: body.subarray(5 * MiB) }]);
      const info = await after.completeMultipart(
        k,
        uploadId,
        [first, second].map((p) => p ?? { partNumber: 0, etag: '' }),
      );
      expect(info.size).toBe(body.length);
      expect(sha256(await readAll(await after.getStream(k)))).toBe(sha256(body));
    });

    it('refuses bytes that differ from the signed SHA-256/MD5 (storage itself answers 4xx)', async () => {
      const signed = randomBytes(4096);
      const other = randomBytes(4096);
      const k = key('integrity/single.jpg');
      const res = await send(await presignedPut(k, signed), other);
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
      expect(await store.head(k)).toBeNull();
      const mk = key('integrity/part.pdf');
      const { uploadId } = await store.createMultipart(mk, {
        contentType: 'application/pdf',
        partSize: 5 * MiB,
      });
      const req = await store.presignPart(
        mk,
        { uploadId, partNumber: 1 },
        { size: 4096, contentMd5: md5(signed), expiresIn: 60 },
      );
      const partRes = await send(req, other);
      expect(partRes.status).toBeGreaterThanOrEqual(400);
      expect(partRes.status).toBeLessThan(500);
      expect(await store.listParts(mk, uploadId)).toEqual([]);
      await store.abortMultipart(mk, uploadId);
    });

    it('refuses a body of the wrong size', async () => {
      const signed = randomBytes(2048);
      const k = key('integrity/size.jpg');
      const res = await send(
        await presignedPut(k, signed),
        Buffer.concat([signed, Buffer.from('x')]),
      );
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
      const short = await send(await presignedPut(k, signed), signed.subarray(1));
      expect(short.status).toBeGreaterThanOrEqual(400);
      expect(short.status).toBeLessThan(500);
      expect(await store.head(k)).toBeNull();
    });

    it('answers 403 to a tampered signature or key', async () => {
      const body = randomBytes(100);
      const k = key('tamper/a.jpg');
      const req = await presignedPut(k, body);
      expect((await send(req, body, tamperSignature(req.url))).status).toBe(403);
      const otherKey = req.url.replace('/tamper/a.jpg', '/tamper/b.jpg');
      expect(otherKey).not.toBe(req.url);
      expect((await send(req, body, otherKey)).status).toBe(403);
      expect(await store.head(k)).toBeNull();
      expect(await store.head(key('tamper/b.jpg'))).toBeNull();
    });

    it('answers 403 once a URL has expired', async () => {
      const body = randomBytes(100);
      const k = key('expiry/a.jpg');
      await store.putObject(key('expiry/existing.txt'), body, { contentType: 'text/plain' });
      const put = await presignedPut(k, body, 1);
      const get = await store.presignGet(key('expiry/existing.txt'), { expiresIn: 1 });
      await sleep(2500);
      expect((await send(put, body)).status).toBe(403);
      expect((await send(get)).status).toBe(403);
      expect(await store.head(k)).toBeNull();
    });

    it('never overwrites an existing key', async () => {
      const first = randomBytes(500);
      const k = key('overwrite/a.jpg');
      await store.putObject(k, first, { contentType: 'image/jpeg' });
      const second = randomBytes(500);
      const res = await send(await presignedPut(k, second), second);
      if (store.capabilities().conditionalWrites) expect(res.status).toBe(412);
      await expect(store.putObject(k, second, { contentType: 'image/jpeg' })).rejects.toSatisfy(
        (e) => isStorageError(e, 'object_exists'),
      );
      const { uploadId } = await store.createMultipart(k, { contentType: 'image/jpeg' });
      const parts = await putParts(store, k, uploadId, [{ n: 1, body: second }]);
      await expect(store.completeMultipart(k, uploadId, parts)).rejects.toSatisfy((e) =>
        isStorageError(e, 'object_exists'),
      );
      await store.abortMultipart(k, uploadId);
      await store.putObject(key('overwrite/b.jpg'), second, { contentType: 'image/jpeg' });
      await expect(store.copy(key('overwrite/b.jpg'), k)).rejects.toSatisfy((e) =>
        isStorageError(e, 'object_exists'),
      );
      expect((await readAll(await store.getStream(k))).equals(first)).toBe(true);
    });

    it('abort removes the upload and its parts', async () => {
      const k = key('abort/a.pdf');
      const { uploadId } = await store.createMultipart(k, { contentType: 'application/pdf' });
      await putParts(store, k, uploadId, [{ n: 1, body: randomBytes(1000) }]);
      await store.abortMultipart(k, uploadId);
      const ids = [];
      for await (const u of store.listMultipartUploads(key('abort/'))) ids.push(u.uploadId);
      expect(ids).not.toContain(uploadId);
      await expect(store.listParts(k, uploadId)).rejects.toSatisfy((e) =>
        isStorageError(e, 'not_found'),
      );
    });

    it('copy, delete and list (over 1,000 keys, in key order, across pages)', async () => {
      const keys = Array.from({ length: 1005 }, (_, i) =>
        key(`many/${String(i).padStart(4, '0')}.txt`),
      );
      await mapLimit(keys, 32, (k) =>
        store.putObject(k, Buffer.from(k), { contentType: 'text/plain' }),
      );
      const listed = [];
      for await (const o of store.list(key('many/'))) listed.push(o.key);
      expect(listed).toEqual(keys);
      const copied = await store.copy(keys[0] ?? '', key('copied/0000.txt'));
      expect(copied.size).toBe(Buffer.byteLength(keys[0] ?? ''));
      await store.delete(key('copied/0000.txt'));
      await store.delete(key('copied/0000.txt'));
      expect(await store.head(key('copied/0000.txt'))).toBeNull();
    });

    it('list streams in S3 key order (a, a-b, a/c) and resumes strictly after startAfter', async () => {
      const names = ['a', 'a-b', 'a/c', 'a/d/e', 'a0', 'b/x', 'é'];
      for (const n of names)
        await store.putObject(key(`order/${n}`), Buffer.from(n), { contentType: 'text/plain' });
      const all = [];
      for await (const o of store.list(key('order/'))) all.push(o.key);
      expect(all).toEqual(names.map((n) => key(`order/${n}`)));
      for (const [i, n] of names.entries()) {
        const rest = [];
        for await (const o of store.list(key('order/'), { startAfter: key(`order/${n}`) }))
          rest.push(o.key);
        expect(rest).toEqual(names.slice(i + 1).map((m) => key(`order/${m}`)));
      }
      const partial = [];
      for await (const o of store.list(key('order/a'), { startAfter: key('order/a/c') }))
        partial.push(o.key);
      expect(partial).toEqual([key('order/a/d/e'), key('order/a0')]);
    });

    it('presigned GET sends an RFC 6266 Content-Disposition for quotes, spaces and non-ASCII', async () => {
      const k = key('download/receipt.pdf');
      const body = randomBytes(300);
      await store.putObject(k, body, { contentType: 'application/pdf' });
      const downloadName = 'Receipt "Q3" – Café 収据 #1.pdf';
      const res = await send(
        await store.presignGet(k, { expiresIn: 60, downloadName, contentType: 'application/pdf' }),
      );
      expect(res.status).toBe(200);
      const header = res.headers.get('content-disposition') ?? '';
      expect(header).toBe(contentDisposition(downloadName));
      const star = /filename\*=UTF-8''(.+)$/.exec(header)?.[1] ?? '';
      expect(decodeURIComponent(star)).toBe(downloadName);
      expect(res.headers.get('content-type')).toBe('application/pdf');
      expect(Buffer.from(await res.arrayBuffer()).equals(body)).toBe(true);
    });
  });
}
