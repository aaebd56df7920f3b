// A process killed at any step of publishing an fs object leaves the object absent, or complete with its content type.
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import type * as FsPromises from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ObjectInfo } from '../object-store.js';
import { FsObjectStore } from './fs-store.js';

type Op = 'link' | 'rename' | 'unlink';

/** The crash seam: the first fs call matching `at` never returns, as if the process died there. */
const crash = vi.hoisted(() => ({
  at: null as null | ((op: Op, dest: string) => boolean),
  reached: null as null | (() => void),
}));

vi.mock('node:fs/promises', async (importOriginal) => {
  const real = await importOriginal<typeof FsPromises>();
  const killedAt = (op: Op, dest: unknown): boolean => {
    if (!crash.at?.(op, String(dest))) return false;
    crash.at = null;
    crash.reached?.();
    return true;
  };
  const never = new Promise<never>(() => undefined);
  return {
    ...real,
    link: (from: string, to: string) => (killedAt('link', to) ? never : real.link(from, to)),
    rename: (from: string, to: string) => (killedAt('rename', to) ? never : real.rename(from, to)),
    unlink: (p: string) => (killedAt('unlink', p) ? never : real.unlink(p)),
  };
});

const secret = randomBytes(32).toString('hex');
let dir: string;
const open = (): Promise<FsObjectStore> =>
  new FsObjectStore({ kind: 'fs', dir, secret, publicBaseUrl: 'http://127.0.0.1:1' }).init();
const prefix = 'org1/accounting/receipt/r1/2026/12/';

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'fv-fs-commit-'));
});
afterEach(async () => {
  crash.at = null;
  await rm(dir, { recursive: true, force: true });
});

/** Run `write` until it reaches the crash point; then the "restarted" store sees what the disk holds. */
async function crashDuring(
  at: (op: Op, dest: string) => boolean,
  write: () => Promise<unknown>,
): Promise<FsObjectStore> {
  const reached = new Promise<void>((resolve) => (crash.reached = resolve));
  crash.at = at;
  const finished = write().then(() => 'finished' as const);
  await expect(Promise.race([reached.then(() => 'crashed' as const), finished])).resolves.toBe(
    'crashed',
  );
  return open();
}

const body = (n: number): Buffer => randomBytes(n);
const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex');
const far = (): number => Math.floor(Date.now() / 1000) + 600;

/** Every way the fs backend publishes an object, each with the content type it must keep. */
const writers: Record<string, (s: FsObjectStore, key: string, bytes: Buffer) => Promise<unknown>> =
  {
    putObject: (s, key, bytes) => s.putObject(key, bytes, { contentType: 'image/png' }),
    'presigned PUT': (s, key, bytes) =>
      s.receive(
        { method: 'PUT', key, expires: far(), size: bytes.length, contentType: 'image/png' },
        Readable.from([bytes]),
      ),
    'copy (quarantine move)': async (s, key, bytes) => {
      const from = `${prefix}source-${randomBytes(4).toString('hex')}.png`;
      // The source is written before the crash is armed: only the copy's own steps can crash.
      const armed = crash.at;
      crash.at = null;
      await s.putObject(from, bytes, { contentType: 'image/png' });
      crash.at = armed;
      return s.copy(from, key);
    },
    'multipart completion': (s, key, bytes) => multipart(s, { key, bytes }),
    'multipart completion (in place)': (s, key, bytes) =>
      multipart(s, { key, bytes, partSize: bytes.length }),
  };

async function multipart(
  s: FsObjectStore,
  o: { key: string; bytes: Buffer; partSize?: number },
): Promise<ObjectInfo> {
  const armed = crash.at;
  crash.at = null;
  const { uploadId } = await s.createMultipart(o.key, {
    contentType: 'image/png',
    ...(o.partSize ? { partSize: o.partSize } : {}),
  });
  const part = { method: 'PUT' as const, key: o.key, expires: far(), uploadId, partNumber: 1 };
  const { etag } = await s.receive(part, Readable.from([o.bytes]));
  crash.at = armed;
  return s.completeMultipart(o.key, uploadId, [{ partNumber: 1, etag }]);
}

const isObjectFile = (dest: string): boolean =>
  dest.startsWith(path.join(dir, 'org1@')) && !path.basename(dest).includes('@');

const promoting = (op: Op, dest: string): boolean => op === 'rename' && dest.endsWith('@meta.json');

/** Where a kill can land while an object is published, and whether the object exists afterwards. */
const crashPoints: { name: string; at: (op: Op, dest: string) => boolean; exists: boolean }[] = [
  {
    name: 'before the pending sidecar is in place',
    at: (op, dest) => op === 'rename' && /@pending-[0-9a-f]+\.json$/.test(dest),
    exists: false,
  },
  {
    name: 'before the bytes are linked',
    at: (op, d) => op === 'link' && isObjectFile(d),
    exists: false,
  },
  {
    name: 'after the bytes are linked, before the sidecar is promoted',
    at: promoting,
    exists: true,
  },
];

/** head() minus what differs between two writes of the same bytes. */
const comparable = (info: ObjectInfo | null): Partial<ObjectInfo> | null => {
  if (!info) return null;
  const { lastModified: _at, key: _key, ...rest } = info;
  return rest;
};

describe('fs commit survives a kill at every step', () => {
  for (const [writer, write] of Object.entries(writers)) {
    for (const point of crashPoints) {
      it(`${writer}: killed ${point.name} → ${point.exists ? 'complete' : 'absent'}`, async () => {
        const bytes = body(70_000);
        const control = await open();
        await write(control, `${prefix}control.png`, bytes);
        const reference = comparable(await control.head(`${prefix}control.png`));
        const key = `${prefix}crashed.png`;
        const store = await crashDuring(point.at, () => write(control, key, bytes));
        const info = await store.head(key);
        if (!point.exists) {
          expect(info).toBeNull();
        } else {
          expect(info).not.toBeNull();
          expect(comparable(info)).toEqual(reference);
          expect(info?.contentType).toBe('image/png');
          expect(info?.sha256).toBe(sha256(bytes));
        }
        const listed = [];
        for await (const o of store.list(prefix)) if (o.key === key) listed.push(o);
        expect(listed.map((o) => o.contentType)).toEqual(point.exists ? ['image/png'] : []);
      });
    }
  }

  it('a repaired object keeps its sidecar in place: no pending file left, same answer after another restart', async () => {
    const key = `${prefix}promoted.png`;
    const bytes = body(1000);
    const store = await crashDuring(promoting, async () =>
      (await open()).putObject(key, bytes, { contentType: 'image/png' }),
    );
    const first = await store.head(key);
    const names = await readdir(
      path.join(dir, 'org1@', 'accounting@', 'receipt@', 'r1@', '2026@', '12@'),
    );
    expect(names.sort()).toEqual(['promoted.png', 'promoted.png@meta.json']);
    expect(await (await open()).head(key)).toEqual(first);
  });

  it('a delete killed between its unlinks, then a rewrite of the key killed before promotion: the new type wins', async () => {
    const key = `${prefix}reused.png`;
    const store = await open();
    await store.putObject(key, body(5000), { contentType: 'image/jpeg' });
    const afterDelete = await crashDuring(
      (op, dest) => op === 'unlink' && dest.endsWith('@meta.json'),
      () => store.delete(key),
    );
    expect(await afterDelete.head(key)).toBeNull();
    // Same size: even when the new temp file reuses the deleted file's inode, the stale sidecar must lose.
    const next = body(5000);
    const restarted = await crashDuring(promoting, () =>
      afterDelete.putObject(key, next, { contentType: 'application/pdf' }),
    );
    const info = await restarted.head(key);
    expect(info?.contentType).toBe('application/pdf');
    expect(info?.sha256).toBe(sha256(next));
  });

  it('two writers racing for one key: the loser gets object_exists and leaves the winner its sidecar', async () => {
    const key = `${prefix}raced.png`;
    const store = await open();
    const bytes = { png: body(3000), pdf: body(4000) };
    const results = await Promise.allSettled([
      store.putObject(key, bytes.png, { contentType: 'image/png' }),
      store.putObject(key, bytes.pdf, { contentType: 'application/pdf' }),
    ]);
    const won = results.findIndex((r) => r.status === 'fulfilled');
    expect(results.filter((r) => r.status === 'rejected')).toHaveLength(1);
    const info = await (await open()).head(key);
    expect(info?.contentType).toBe(won === 0 ? 'image/png' : 'application/pdf');
    expect(info?.sha256).toBe(sha256(won === 0 ? bytes.png : bytes.pdf));
  });
});
