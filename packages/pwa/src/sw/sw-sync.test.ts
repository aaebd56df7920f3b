// Unit tests for the worker's Background Sync engine holder: signed-out runs nothing, one engine per user and device label.
import { describe, expect, it } from 'vitest';
import type { SyncRunResult } from '../sync/context';
import type { SyncUser } from '../sync/ownership';
import { createServiceWorkerSync, type CachedUser, type RunnableEngine } from './sw-sync';

const IDLE: SyncRunResult = { status: 'idle', uploaded: 1, pending: 0, retryAt: null };

const ANNA = '0190f1a2-0000-7000-8000-00000000000a';
const BEN = '0190f1a2-0000-7000-8000-00000000000b';
const ORG = '0190f1a2-0000-7000-8000-0000000000f0';

function user(id: string, deviceLabel: string | null): CachedUser {
  return { id, orgId: ORG, email: `${id.slice(-1)}@example.com`, deviceLabel };
}

function setup(users: Array<CachedUser | null>) {
  const created: SyncUser[] = [];
  let runs = 0;
  const sync = createServiceWorkerSync({
    loadUser: () => Promise.resolve(users.shift() ?? null),
    createEngine: (u): RunnableEngine => {
      created.push(u);
      return {
        run: () => {
          runs++;
          return Promise.resolve(IDLE);
        },
      };
    },
  });
  return { sync, created, runs: () => runs };
}

describe('createServiceWorkerSync', () => {
  it('runs nothing and reports signed-out when no user is cached', async () => {
    const { sync, created, runs } = setup([null]);
    await expect(sync.run()).resolves.toMatchObject({ status: 'signed-out' });
    expect(created).toEqual([]);
    expect(runs()).toBe(0);
  });

  it('builds the engine once for the signed-in user and runs it on every event', async () => {
    const { sync, created, runs } = setup([user(ANNA, 'Anna phone'), user(ANNA, 'Anna phone')]);
    await expect(sync.run()).resolves.toEqual(IDLE);
    await expect(sync.run()).resolves.toEqual(IDLE);
    expect(created).toEqual([
      {
        deviceLabel: 'Anna phone',
        owner: { userId: ANNA, orgId: ORG, email: 'a@example.com' },
      },
    ]);
    expect(runs()).toBe(2);
  });

  it('uses the page default label when the user has none, and rebuilds when the user changes', async () => {
    const { sync, created } = setup([user(ANNA, null), user(BEN, null), user(BEN, 'Ben tablet')]);
    await sync.run();
    await sync.run();
    await sync.run();
    expect(created.map((u) => [u.owner.userId, u.deviceLabel])).toEqual([
      [ANNA, 'browser'],
      [BEN, 'browser'],
      [BEN, 'Ben tablet'],
    ]);
  });
});
