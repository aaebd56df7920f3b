// The global pause is stored in the outbox: it survives a new engine (a reload), holds across tabs, and stops the service worker's sync.
import { describe, expect, it } from 'vitest';
import { createOutbox } from '../outbox/outbox';
import { saveNew } from '../outbox/testing';
import { createServiceWorkerSync } from '../sw/sw-sync';
import { factoryOf, setupSync } from './testing/setup';

describe('global pause, persisted', () => {
  it('a paused device stays paused after a reload and uploads nothing until Resume', async () => {
    const { outbox, server, engine, makeEngine, clock } = setupSync();
    await saveNew(outbox, { size: 100, now: clock.now() });
    await engine.pause();
    expect(await outbox.isSyncPaused()).toBe(true);
    engine.stop();

    // A reload: a new engine on the same database knows nothing in memory.
    const reloaded = makeEngine();
    expect(reloaded.isPaused()).toBe(false);
    expect(await reloaded.loadPaused()).toBe(true);
    expect(await reloaded.run()).toMatchObject({ status: 'paused', uploaded: 0, pending: 1 });
    expect(server.calls).toEqual([]);

    expect(await reloaded.resume()).toMatchObject({ status: 'idle', uploaded: 1, pending: 0 });
    expect(await outbox.isSyncPaused()).toBe(false);
    expect(server.files.size).toBe(1);
  });

  it('stopping an engine (sign-out) does not store a pause', async () => {
    const { outbox, makeEngine, engine, clock } = setupSync();
    await saveNew(outbox, { size: 100, now: clock.now() });
    engine.stop();
    expect(await engine.run()).toMatchObject({ status: 'paused', uploaded: 0 });
    expect(await outbox.isSyncPaused()).toBe(false);
    expect(await makeEngine().run()).toMatchObject({ status: 'idle', uploaded: 1 });
  });

  it("a pause from another tab stops this tab's engine at its next run; a resume there lets it go", async () => {
    const { outbox, server, engine, clock } = setupSync();
    await saveNew(outbox, { size: 100, now: clock.now() });
    const otherTab = createOutbox({ factory: factoryOf(outbox) });
    await otherTab.setSyncPaused({ paused: true, now: clock.now() });
    expect(await engine.run()).toMatchObject({ status: 'paused', uploaded: 0 });
    expect(server.calls).toEqual([]);
    await otherTab.setSyncPaused({ paused: false, now: clock.now() });
    expect(await engine.run()).toMatchObject({ status: 'idle', uploaded: 1 });
    otherTab.close();
  });

  it("the service worker's sync event on a paused device sends nothing, device events included", async () => {
    const { outbox, server, engine, makeEngine, clock } = setupSync();
    await saveNew(outbox, { size: 100, now: clock.now() });
    await engine.pause();
    const worker = createServiceWorkerSync({
      loadUser: () =>
        Promise.resolve({
          id: '0190f1a2-0000-7000-8000-0000000000aa',
          orgId: '0190f1a2-0000-7000-8000-0000000000bb',
          email: 'anna@example.com',
          deviceLabel: 'Test phone',
        }),
      createEngine: (user) => makeEngine(user),
    });
    expect(await worker.run()).toMatchObject({ status: 'paused', uploaded: 0, pending: 1 });
    expect(server.calls).toEqual([]);
    expect(server.events.size).toBe(0);
  });
});
