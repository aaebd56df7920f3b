// Schema versions: a fresh database and an upgrade from every earlier version end up identical; blocked/blocking handled.
import { IDBFactory } from 'fake-indexeddb';
import { describe, expect, it, vi } from 'vitest';
import { createOutboxConnection, openOutboxDb, UPGRADES, type OutboxDb } from './db';
import { DB_NAME, DB_VERSION } from './schema';
import { isSyncPaused, setSyncPaused } from './settings';

/** Store names, key paths and indexes: what must match whichever path a database took to this version. */
function shapeOf(db: OutboxDb) {
  const names = [...db.objectStoreNames].sort();
  const tx = db.transaction(names);
  return names.map((name) => {
    const store = tx.objectStore(name);
    const indexes = [...store.indexNames].sort().map((i) => {
      const index = store.index(i);
      return { name: i, keyPath: index.keyPath, unique: index.unique };
    });
    return { name, keyPath: store.keyPath, indexes };
  });
}

/** Rows as each older version wrote them; every version below DB_VERSION needs one (the loop checks). */
const SEEDS: Record<number, (db: IDBDatabase) => Promise<void>> = {
  1: async (db) => {
    const tx = db.transaction(['captures', 'events'], 'readwrite');
    tx.objectStore('captures').put({
      captureId: 'c-1',
      state: 'queued',
      attempts: 0,
      createdAt: 1,
      updatedAt: 1,
      blobKey: 'c-1',
    });
    tx.objectStore('events').put({
      id: 'e-1',
      captureId: 'c-1',
      kind: 'captured',
      at: 1,
      pushed: 0,
    });
    await new Promise((resolve) => (tx.oncomplete = resolve));
  },
  2: async (db) => {
    const tx = db.transaction(['captures', 'events', 'uploads'], 'readwrite');
    tx.objectStore('captures').put({
      captureId: 'c-1',
      state: 'queued',
      attempts: 0,
      mismatchCount: 0,
      nextAttemptAt: 0,
      paused: false,
      createdAt: 1,
      updatedAt: 1,
      blobKey: 'c-1',
    });
    tx.objectStore('events').put({
      id: 'e-1',
      captureId: 'c-1',
      kind: 'captured',
      at: 1,
      pushed: 0,
    });
    tx.objectStore('uploads').put({ captureId: 'c-1', sessionId: 's-1', doneParts: [], urls: [] });
    await new Promise((resolve) => (tx.oncomplete = resolve));
  },
  3: async (db) => {
    const tx = db.transaction(['captures', 'events', 'drafts'], 'readwrite');
    tx.objectStore('captures').put({
      captureId: 'c-1',
      state: 'queued',
      attempts: 0,
      mismatchCount: 0,
      nextAttemptAt: 0,
      paused: false,
      createdAt: 1,
      updatedAt: 1,
      blobKey: 'c-1',
    });
    tx.objectStore('events').put({
      id: 'e-1',
      captureId: 'c-1',
      kind: 'captured',
      at: 1,
      pushed: 0,
    });
    tx.objectStore('drafts').put({ id: 'd-1', filename: 'a.jpg', type: 'image/jpeg', size: 1 });
    await new Promise((resolve) => (tx.oncomplete = resolve));
  },
};

describe('outbox schema', () => {
  it('has an upgrade step for every version up to the current one', () => {
    for (let v = 1; v <= DB_VERSION; v++) expect(UPGRADES[v], `step ${v}`).toBeTypeOf('function');
  });

  it('creates the current schema from nothing', async () => {
    const db = await openOutboxDb({ factory: new IDBFactory() });
    expect(db.version).toBe(DB_VERSION);
    expect(shapeOf(db).map((s) => s.name)).toEqual([
      'blobs',
      'captures',
      'drafts',
      'events',
      'settings',
      'thumbnails',
      'uploads',
    ]);
    db.close();
  });

  for (let from = 1; from < DB_VERSION; from++) {
    it(`upgrades a version ${from} database with data to version ${DB_VERSION}`, async () => {
      const factory = new IDBFactory();
      const old = await openOutboxDb({ factory, version: from });
      const seed = SEEDS[from];
      expect(seed, `seed rows for version ${from}`).toBeDefined();
      await seed?.(old as unknown as IDBDatabase);
      old.close();

      const upgraded = await openOutboxDb({ factory });
      const fresh = await openOutboxDb({ factory: new IDBFactory() });
      expect(shapeOf(upgraded)).toEqual(shapeOf(fresh));
      const due = await upgraded.getAllFromIndex(
        'captures',
        'by-state-next',
        IDBKeyRange.bound(['queued', -Infinity], ['queued', 0]),
      );
      expect(due).toMatchObject([
        { captureId: 'c-1', nextAttemptAt: 0, paused: false, mismatchCount: 0 },
      ]);
      expect(await upgraded.count('events')).toBe(1);
      // No settings row yet: an upgraded device is not paused, and the pause can be stored.
      expect(await isSyncPaused(upgraded)).toBe(false);
      await setSyncPaused(upgraded, { paused: true, now: 5 });
      expect(await isSyncPaused(upgraded)).toBe(true);
      upgraded.close();
      fresh.close();
    });
  }

  it('closes itself and tells the UI when another tab opens a newer version', async () => {
    const factory = new IDBFactory();
    const onVersionChange = vi.fn();
    const connection = createOutboxConnection({ factory, onVersionChange });
    await connection.getDb();
    const newer = await new Promise<IDBDatabase>((resolve, reject) => {
      const request = factory.open(DB_NAME, DB_VERSION + 1);
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error ?? new Error('open failed'));
    });
    expect(newer.version).toBe(DB_VERSION + 1);
    expect(onVersionChange).toHaveBeenCalledOnce();
    newer.close();
  });

  it('reports a blocked upgrade and completes it once the old tab closes', async () => {
    const factory = new IDBFactory();
    const oldTab = await openOutboxDb({ factory, version: 1 });
    // An old tab that ignores versionchange keeps the upgrade waiting.
    const onBlocked = vi.fn(() => setTimeout(() => oldTab.close(), 0));
    const db = await openOutboxDb({ factory, onBlocked });
    expect(onBlocked).toHaveBeenCalledOnce();
    expect(db.version).toBe(DB_VERSION);
    db.close();
  });

  it('reopens lazily after a close', async () => {
    const connection = createOutboxConnection({ factory: new IDBFactory() });
    const first = await connection.getDb();
    expect(await connection.getDb()).toBe(first);
    connection.close();
    await new Promise((r) => setTimeout(r, 0));
    const second = await connection.getDb();
    expect(second).not.toBe(first);
    expect(await second.count('captures')).toBe(0);
  });
});
