// Unit tests for the worker's Background Sync engine holder: signed-out runs nothing, one engine per device label.
import { describe, expect, it } from 'vitest';
import type { SyncRunResult } from '../sync/context';
import { createServiceWorkerSync, type RunnableEngine } from './sw-sync';

const IDLE: SyncRunResult = { status: 'idle', uploaded: 1, pending: 0, retryAt: null };

function setup(users: Array<{ deviceLabel: string | null } | null>) {
  const created: string[] = [];
  let runs = 0;
  const sync = createServiceWorkerSync({
    loadUser: () => Promise.resolve(users.shift() ?? null),
    createEngine: (label): RunnableEngine => {
      created.push(label);
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

  it('builds the engine once for the signed-in device and runs it on every event', async () => {
    const { sync, created, runs } = setup([
      { deviceLabel: 'Anna phone' },
      { deviceLabel: 'Anna phone' },
    ]);
    await expect(sync.run()).resolves.toEqual(IDLE);
    await expect(sync.run()).resolves.toEqual(IDLE);
    expect(created).toEqual(['Anna phone']);
    expect(runs()).toBe(2);
  });

  it('uses the page default label when the user has none, and rebuilds when the user changes', async () => {
    const { sync, created } = setup([{ deviceLabel: null }, { deviceLabel: 'Ben tablet' }]);
    await sync.run();
    await sync.run();
    expect(created).toEqual(['browser', 'Ben tablet']);
  });
});
