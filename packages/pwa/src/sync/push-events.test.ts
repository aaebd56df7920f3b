// Device event pushing: events wait behind their capture's upload, and a run pages past however many wait.
import { describe, expect, it } from 'vitest';
import { uuidv7 } from '@fieldvault/shared/ids';
import { saveNew } from '../outbox/testing';
import type { SyncContext } from './context';
import { pushDeviceEvents } from './push-events';
import { outboxState, setupSync } from './testing/setup';

describe('pushDeviceEvents', () => {
  it('pages past events that must wait, so those behind them still go, and marks only what went', async () => {
    const { outbox, server, engine, clock } = setupSync();
    const done = await saveNew(outbox, { size: 100, now: clock.now() });
    await engine.run();
    // A capture still queued, with more events than one page holds, all older than the next event.
    const waiting = await saveNew(outbox, { size: 100, now: clock.now() + 1 });
    for (let i = 0; i < 7; i++)
      await outbox.addDeviceEvent({
        id: uuidv7(),
        kind: 'sync_failed',
        captureId: waiting.captureId,
        deviceLabel: 'Test phone',
        now: clock.now() + 2,
      });
    const late = uuidv7();
    await outbox.addDeviceEvent({
      id: late,
      kind: 'edited',
      captureId: done.captureId,
      deviceLabel: 'Test phone',
      now: clock.now() + 3,
    });
    const ctx = { store: outbox, transport: server, owner: null } as unknown as SyncContext;
    expect(await pushDeviceEvents(ctx, 3)).toBe(1);
    expect(server.events.has(late)).toBe(true);
    const events = (await outboxState(outbox)).events;
    const unpushed = events.filter((e) => e.pushed === 0).map((e) => e.captureId);
    expect(unpushed).toHaveLength(8);
    expect(new Set(unpushed)).toEqual(new Set([waiting.captureId]));
  });

  it('goes through every page when all may go, however the pages fall', async () => {
    const { outbox, server, engine, clock } = setupSync();
    for (let i = 0; i < 5; i++) await saveNew(outbox, { size: 100, now: clock.now() });
    const ctx = { store: outbox, transport: server, owner: null } as unknown as SyncContext;
    // Upload with the engine but push nothing yet: the engine's own push is what this test replaces.
    await engine.run();
    const db = await outbox.getDb();
    for (const e of await db.getAll('events')) await db.put('events', { ...e, pushed: 0 });
    const total = (await db.getAll('events')).length;
    expect(await pushDeviceEvents(ctx, 2)).toBe(total);
    expect((await outboxState(outbox)).events.every((e) => e.pushed === 1)).toBe(true);
  });
});
