// The session cache: empty when signed out, remembers the user across connections, forgets on clear.
import { IDBFactory } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import type { Me } from '@fieldvault/shared/schemas';
import { createSessionStore } from './session-store';

const ME: Me = {
  id: '0190f1a2-0000-7000-8000-000000000001',
  email: 'anna@example.test',
  name: 'Anna',
  role: 'field',
  orgId: '0190f1a2-0000-7000-8000-000000000002',
  orgName: 'Example',
  deviceLabel: "Anna's phone",
};

describe('session store', () => {
  it('is empty at first, then returns the saved user from a new connection (an app restart)', async () => {
    const factory = new IDBFactory();
    const first = createSessionStore({ indexedDB: factory });
    expect(await first.load()).toBeNull();
    await first.save(ME, 1);
    await first.close();
    const second = createSessionStore({ indexedDB: factory });
    expect(await second.load()).toEqual(ME);
    await second.close();
  });

  it('forgets the user on clear', async () => {
    const store = createSessionStore({ indexedDB: new IDBFactory() });
    await store.save(ME);
    await store.clear();
    expect(await store.load()).toBeNull();
    await store.close();
  });
});
