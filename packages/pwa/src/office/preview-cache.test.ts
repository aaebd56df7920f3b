// Unit tests for the preview cache: memory LRU in front of the IndexedDB store, claimed per owner.
import { IDBFactory } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { createPreviewCache } from './preview-cache';
import { createPreviewStore } from './preview-store';

const ALICE = { userId: 'user-a', orgId: 'org-1' };

describe('preview cache', () => {
  it('keeps the most recently used previews in memory up to its limit', async () => {
    const cache = createPreviewCache({ limit: 2 });
    const a = new Blob(['a']);
    await cache.set('a', a);
    await cache.set('b', new Blob(['b']));
    expect(await cache.get('a')).toBe(a); // a is now the most recent
    await cache.set('c', new Blob(['c']));
    expect(await cache.get('b')).toBeUndefined();
    expect(await cache.get('a')).toBe(a);
    expect(await cache.get('c')).toBeDefined();
  });

  it('a preview kept by one page is read back by the next (a reload) for the same owner only', async () => {
    const factory = new IDBFactory();
    const first = createPreviewCache({
      persist: { store: createPreviewStore({ indexedDB: factory }), owner: ALICE },
    });
    await first.set('f1', new Blob(['receipt'], { type: 'image/png' }));
    await first.close();

    const reloaded = createPreviewCache({
      persist: { store: createPreviewStore({ indexedDB: factory }), owner: ALICE },
    });
    expect(await (await reloaded.get('f1'))?.text()).toBe('receipt');
    await reloaded.close();

    const otherOrg = createPreviewCache({
      persist: {
        store: createPreviewStore({ indexedDB: factory }),
        owner: { userId: 'user-b', orgId: 'org-2' },
      },
    });
    expect(await otherOrg.get('f1')).toBeUndefined();
    await otherOrg.close();
  });

  it('clear forgets memory and store', async () => {
    const factory = new IDBFactory();
    const store = createPreviewStore({ indexedDB: factory });
    const cache = createPreviewCache({ persist: { store, owner: ALICE } });
    await cache.set('f1', new Blob(['x']));
    await cache.clear();
    expect(await cache.get('f1')).toBeUndefined();
    expect(await store.list()).toEqual([]);
    await cache.close();
  });
});
