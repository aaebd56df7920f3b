// The fs listing against a naive model: any set of keys comes back exactly once, in UTF-8 byte order, under any prefix and startAfter.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keyPaths } from './fs-keys.js';
import { FsObjectStore } from './fs-store.js';

/** Segment characters chosen where orders disagree: `-` < `/`, `%`/`@` encoded on disk, BMP above surrogates, astral. */
const CHARS = ['a', 'b', '-', '.', '%', '@', 'é', '\uE000', '😀'];
const segment = fc
  .array(fc.constantFrom(...CHARS), { minLength: 1, maxLength: 3 })
  .map((cs) => cs.join(''))
  .filter((s) => s !== '.' && s !== '..');
const key = fc.array(segment, { minLength: 1, maxLength: 3 }).map((ss) => ss.join('/'));
/** A prefix as callers pass them: the start of some key, cut between characters. */
const prefixOf = fc.tuple(key, fc.nat()).map(([k, n]) =>
  Array.from(k)
    .slice(0, n % (Array.from(k).length + 1))
    .join(''),
);

const byBytes = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));

describe('fs listing', () => {
  let dir: string;
  let store: FsObjectStore;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'fv-fs-list-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  async function freshStore(run: number): Promise<FsObjectStore> {
    return new FsObjectStore({
      kind: 'fs',
      dir: path.join(dir, `run-${run}`),
      secret: 'x'.repeat(32),
      publicBaseUrl: 'http://localhost',
    }).init();
  }

  const listed = async (prefix: string, startAfter?: string) => {
    const out = [];
    for await (const o of store.list(prefix, startAfter ? { startAfter } : {})) out.push(o);
    return out;
  };

  it('lists any key set once each, in byte order, under a prefix and after startAfter', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(key, { minLength: 1, maxLength: 25 }),
        fc.oneof(fc.constant(''), prefixOf),
        fc.option(key, { nil: undefined }),
        async (keys, prefix, startAfter) => {
          store = await freshStore(run++);
          for (const k of keys)
            await store.putObject(k, Buffer.from(k), { contentType: 'text/x-k' });
          const expected = keys
            .filter((k) => k.startsWith(prefix))
            .filter((k) => startAfter === undefined || byBytes(k, startAfter) > 0)
            .sort(byBytes);
          const got = await listed(prefix, startAfter);
          expect(got.map((o) => o.key)).toEqual(expected);
          for (const o of got) {
            expect(o.size).toBe(Buffer.byteLength(o.key));
            expect(o.contentType).toBe('text/x-k');
          }
        },
      ),
      { numRuns: 25 },
    );
  });

  it('an object whose sidecar describes another file is listed through the repairing path', async () => {
    store = await freshStore(1000);
    await store.putObject('a/b', Buffer.from('four'), { contentType: 'image/png' });
    const { meta } = keyPaths(store.layout.root, 'a/b');
    // A sidecar stamped for another inode and size, as a crashed delete-then-commit leaves it.
    await writeFile(
      meta,
      JSON.stringify({ sha256: 'a'.repeat(64), etag: '"x"', contentType: 'x/y', ino: 1, size: 9 }),
    );
    const [o] = await listed('a/');
    expect(o).toMatchObject({ key: 'a/b', size: 4 });
    expect(await listed('a/')).toHaveLength(1);
  });

  it('a file name no writer can produce fails the listing as the key check does', async () => {
    store = await freshStore(1001);
    await store.putObject('ok', Buffer.from('x'), { contentType: 'text/plain' });
    await writeFile(path.join(store.layout.root, 'bad\u0001name'), 'x');
    await expect(listed('')).rejects.toThrow(/invalid object key/);
  });
});
