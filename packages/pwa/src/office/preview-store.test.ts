// Unit tests for the IndexedDB preview store: LRU by count and bytes, one owner at a time, cleared on sign-out.
import { IDBFactory } from 'fake-indexeddb';
import { afterEach, describe, expect, it } from 'vitest';
import { createOfficeCache } from './office-cache';
import { file, memoryStorage } from './office-test-data';
import { createPreviewStore, type PreviewStore } from './preview-store';
import { forgetOfficeCopies } from './use-office-caches';

const ALICE = { userId: 'user-a', orgId: 'org-1' };
const BOB = { userId: 'user-b', orgId: 'org-2' };
const bytes = (n: number, type = 'image/png') => new Blob([new Uint8Array(n).fill(7)], { type });

let store: PreviewStore;
const open = (factory: IDBFactory, limits = { count: 3, bytes: 100 }) => {
  store = createPreviewStore({ indexedDB: factory, limits });
  return store;
};
afterEach(() => store.close());

describe('preview store', () => {
  it('gives back the bytes and type it kept, and survives a new connection (a reload)', async () => {
    const factory = new IDBFactory();
    const first = open(factory);
    await first.claim(ALICE);
    expect(await first.put('f1', bytes(10, 'image/jpeg'), 1)).toBe(true);
    await first.close();

    const again = open(factory);
    await again.claim(ALICE);
    const blob = await again.get('f1', 2);
    expect(blob?.type).toBe('image/jpeg');
    expect(new Uint8Array(await (blob as Blob).arrayBuffer())).toEqual(new Uint8Array(10).fill(7));
    expect(await again.get('nope')).toBeUndefined();
  });

  it('drops the least recently used beyond the count, and reading a preview makes it recent', async () => {
    const s = open(new IDBFactory());
    await s.claim(ALICE);
    await s.put('a', bytes(1), 1);
    await s.put('b', bytes(1), 2);
    await s.put('c', bytes(1), 3);
    await s.get('a', 4);
    await s.put('d', bytes(1), 5);
    expect((await s.list()).map((e) => e.fileId)).toEqual(['d', 'a', 'c']);
    expect(await s.get('b')).toBeUndefined();
  });

  it('drops the least recently used beyond the byte budget, and never keeps one larger than it', async () => {
    const s = open(new IDBFactory());
    await s.claim(ALICE);
    await s.put('a', bytes(40), 1);
    await s.put('b', bytes(40), 2);
    await s.put('c', bytes(40), 3);
    expect((await s.list()).map((e) => e.fileId)).toEqual(['c', 'b']);
    expect(await s.put('huge', bytes(101), 4)).toBe(false);
    expect((await s.list()).map((e) => e.fileId)).toEqual(['c', 'b']);
  });

  it('another user (or org) claiming the store finds it empty; the same owner keeps what it had', async () => {
    const factory = new IDBFactory();
    const s = open(factory);
    await s.claim(ALICE);
    await s.put('a', bytes(5), 1);
    await s.claim(ALICE);
    expect(await s.get('a')).toBeDefined();

    await s.claim(BOB);
    expect(await s.get('a')).toBeUndefined();
    expect(await s.list()).toEqual([]);
    await s.put('b', bytes(5), 2);
    await s.claim({ userId: BOB.userId, orgId: 'org-3' });
    expect(await s.list()).toEqual([]);
  });

  it('clear forgets every preview and the owner', async () => {
    const s = open(new IDBFactory());
    await s.claim(ALICE);
    await s.put('a', bytes(5), 1);
    await s.clear();
    expect(await s.list()).toEqual([]);
    expect(await s.get('a')).toBeUndefined();
  });
});

describe('forgetting every office copy (sign-out from any screen)', () => {
  it('empties the preview store and every user’s cached lists, whoever owned them', async () => {
    const factory = new IDBFactory();
    const s = open(factory);
    await s.claim(ALICE);
    await s.put('f1', bytes(10), 1);
    const storage = memoryStorage();
    createOfficeCache(storage, ALICE.userId).saveFile(file(1));
    createOfficeCache(storage, BOB.userId).saveFile(file(2));
    storage.setItem('unrelated', 'kept');

    await forgetOfficeCopies({ storage, store: createPreviewStore({ indexedDB: factory }) });

    const again = open(factory);
    await again.claim(ALICE);
    expect(await again.list()).toEqual([]);
    expect(createOfficeCache(storage, ALICE.userId).loadFile(file(1).id)).toBeNull();
    expect(createOfficeCache(storage, BOB.userId).loadFile(file(2).id)).toBeNull();
    expect(storage.getItem('unrelated')).toBe('kept');
  });
});
