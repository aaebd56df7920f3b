// Captures are bound to the user who took them: another user's session on the same device leaves them queued.
import { describe, expect, it } from 'vitest';
import { saveNew } from '../outbox/testing';
import type { CaptureOwner } from '../outbox/schema';
import { belongsTo, othersWaiting } from './ownership';
import { setupSync } from './testing/setup';

const ORG = '0190f1a2-0000-7000-8000-0000000000f0';
const JANE: CaptureOwner = {
  userId: '0190f1a2-0000-7000-8000-00000000000a',
  orgId: ORG,
  email: 'jane@example.com',
};
const OMAR: CaptureOwner = {
  userId: '0190f1a2-0000-7000-8000-00000000000b',
  orgId: ORG,
  email: 'omar@example.com',
};

describe('captures bound to their owner', () => {
  it("another user's session uploads only its own captures; the owner's sign-in uploads the rest", async () => {
    const { outbox, server, makeEngine, clock } = setupSync();
    const janes = [
      await saveNew(outbox, { size: 100, now: clock.now(), owner: JANE }),
      await saveNew(outbox, { size: 120, now: clock.now(), owner: JANE }),
    ];
    const omars = await saveNew(outbox, { size: 140, now: clock.now(), owner: OMAR });

    const asOmar = makeEngine({ owner: OMAR });
    // Jane's captures are neither uploaded nor counted: nothing keeps Omar's timer waiting on them.
    expect(await asOmar.run()).toMatchObject({
      status: 'idle',
      uploaded: 1,
      pending: 0,
      retryAt: null,
    });
    expect([...server.files.keys()]).toEqual([omars.captureId]);
    expect(server.callsOf('begin')).toHaveLength(1);
    for (const c of janes)
      expect(await outbox.getCapture(c.captureId)).toMatchObject({ state: 'queued', owner: JANE });
    // Jane's CAPTURED events wait for her session too.
    const pushed = new Set([...server.events.values()].map((e) => e.captureId));
    expect([...pushed]).toEqual([omars.captureId]);

    const asJane = makeEngine({ owner: JANE });
    expect(await asJane.run()).toMatchObject({ status: 'idle', uploaded: 2, pending: 0 });
    expect(server.files.size).toBe(3);
    expect(new Set([...server.events.values()].map((e) => e.captureId)).size).toBe(3);
  });

  it('captures saved before owners were recorded go to the first user who syncs, and stay theirs', async () => {
    const { outbox, server, makeEngine, clock } = setupSync();
    const old = await saveNew(outbox, { size: 100, now: clock.now() });
    expect((await outbox.getCapture(old.captureId))?.owner).toBeUndefined();
    // Jane signs in first but is offline: the claim still happens before any upload is tried.
    server.offline = true;
    expect(await makeEngine({ owner: JANE }).run()).toMatchObject({ status: 'offline' });
    expect(await outbox.getCapture(old.captureId)).toMatchObject({ owner: JANE });
    server.offline = false;
    // Omar signs in next: the capture is Jane's now, so he does not upload it.
    expect(await makeEngine({ owner: OMAR }).run()).toMatchObject({ uploaded: 0, pending: 0 });
    expect(server.files.size).toBe(0);
    expect(await makeEngine({ owner: JANE }).run()).toMatchObject({ uploaded: 1 });
    expect(server.files.has(old.captureId)).toBe(true);
  });

  it('an engine without an owner (tools, single-user tests) uploads everything', async () => {
    const { outbox, server, engine, clock } = setupSync();
    await saveNew(outbox, { size: 100, now: clock.now(), owner: JANE });
    await saveNew(outbox, { size: 100, now: clock.now(), owner: OMAR });
    expect(await engine.run()).toMatchObject({ uploaded: 2 });
    expect(server.files.size).toBe(2);
  });
});

describe('othersWaiting', () => {
  it("counts other users' pending captures per user, most first; own and unowned ones are not listed", () => {
    const pending = [
      { owner: JANE },
      { owner: OMAR },
      { owner: OMAR },
      { owner: { ...JANE } },
      { owner: JANE },
      {},
    ];
    const me: CaptureOwner = { ...JANE, userId: '0190f1a2-0000-7000-8000-00000000000c' };
    expect(othersWaiting(pending, me)).toEqual([
      { userId: JANE.userId, email: 'jane@example.com', count: 3 },
      { userId: OMAR.userId, email: 'omar@example.com', count: 2 },
    ]);
    expect(othersWaiting(pending, JANE)).toEqual([
      { userId: OMAR.userId, email: 'omar@example.com', count: 2 },
    ]);
    expect(othersWaiting(pending, null)).toEqual([]);
    expect(belongsTo({}, OMAR)).toBe(true);
    expect(belongsTo({ owner: JANE }, OMAR)).toBe(false);
  });
});
