// Checks the Node test project provides what the outbox tests rely on: IndexedDB (fake-indexeddb) that stores Blobs.
import { openDB } from 'idb';
import { describe, expect, it } from 'vitest';

describe('unit test environment', () => {
  it('has an IndexedDB that round-trips a Blob through idb', async () => {
    const db = await openDB('env-check', 1, {
      upgrade: (d) => d.createObjectStore('blobs'),
    });
    await db.put('blobs', new Blob(['receipt bytes'], { type: 'image/jpeg' }), 'k');
    const back: unknown = await db.get('blobs', 'k');
    db.close();
    expect(back).toBeInstanceOf(Blob);
    expect(await (back as Blob).text()).toBe('receipt bytes');
  });
});
