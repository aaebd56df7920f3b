// Pause and resume (global and per item), discard during an upload, and the UI events that go with them.
import { describe, expect, it } from 'vitest';
import { uuidv7 } from '@fieldvault/shared/ids';
import { createLogger } from '../log/logger';
import { saveNew } from '../outbox/testing';
import { outboxState, setupSync } from './testing/setup';

const MiB = 1024 * 1024;

/** Holds matching calls until released. */
function gate() {
  let open = () => {};
  const opened = new Promise<void>((r) => (open = r));
  return { opened, open };
}

const until = async (check: () => boolean) => {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 5));
};

describe('pause and resume', () => {
  it('pausing stops the upload in flight, keeps stored parts, and resume finishes without re-sending them', async () => {
    const { outbox, server, engine, clock } = setupSync({
      sync: { partConcurrency: 1, idlePartConcurrency: 1 },
    });
    const capture = await saveNew(outbox, { size: 17 * MiB + 3, now: clock.now() });
    const held = gate();
    server.inject((c) =>
      c.proc === 'put' && c.partNumber === 2 ? { hold: held.opened } : undefined,
    );
    const running = engine.run();
    await until(() => server.callsOf('put').length === 2);
    void engine.pause();
    held.open();
    expect(await running).toMatchObject({ status: 'paused', pending: 1 });
    expect(await outbox.getCapture(capture.captureId)).toMatchObject({
      state: 'queued',
      attempts: 0,
    });
    expect(server.storedPuts().map((c) => c.partNumber)).toEqual([1]);
    // Paused: triggers find nothing to do.
    expect(await engine.run()).toMatchObject({ status: 'paused' });
    expect(await engine.resume()).toMatchObject({ status: 'idle', uploaded: 1 });
    expect(
      server
        .storedPuts()
        .map((c) => c.partNumber)
        .sort(),
    ).toEqual([1, 2, 3]);
    expect(server.files.get(capture.captureId)?.status).toBe('verified');
  });

  it('a paused item is skipped while others upload; resuming it uploads it', async () => {
    const { outbox, server, engine, clock } = setupSync();
    const a = await saveNew(outbox, { size: 100, now: clock.now() });
    const b = await saveNew(outbox, { size: 200, now: clock.now() });
    await engine.pauseItem(a.captureId);
    expect(await engine.run()).toMatchObject({
      status: 'waiting',
      uploaded: 1,
      pending: 1,
      retryAt: null,
    });
    expect([...server.files.keys()]).toEqual([b.captureId]);
    expect(await outbox.getCapture(a.captureId)).toMatchObject({ paused: true, state: 'queued' });
    expect(await engine.resumeItem(a.captureId)).toMatchObject({ status: 'idle', uploaded: 1 });
    expect(server.files.has(a.captureId)).toBe(true);
  });

  it('pausing an item mid-upload aborts only that item', async () => {
    const { outbox, server, engine, clock } = setupSync();
    const a = await saveNew(outbox, { size: 100, now: clock.now() });
    const b = await saveNew(outbox, { size: 200, now: clock.now() });
    const held = gate();
    server.inject((c) => (c.proc === 'put' ? { hold: held.opened } : undefined), 2);
    const running = engine.run();
    await until(() => server.callsOf('put').length === 2);
    const pausing = engine.pauseItem(a.captureId);
    let paused = false;
    await until(() => {
      void outbox.getCapture(a.captureId).then((c) => (paused = c?.paused ?? false));
      return paused;
    });
    held.open();
    await pausing;
    const result = await running;
    expect(result).toMatchObject({ uploaded: 1, pending: 1 });
    expect(server.files.has(b.captureId)).toBe(true);
    expect(await outbox.getCapture(a.captureId)).toMatchObject({ state: 'queued', paused: true });
  });
});

describe('discard', () => {
  it('discarding during the upload stops it, deletes it locally, records DISCARDED and aborts the session', async () => {
    const { outbox, server, engine, clock } = setupSync();
    const capture = await saveNew(outbox, { size: 100, now: clock.now() });
    const held = gate();
    server.inject((c) => (c.proc === 'put' ? { hold: held.opened } : undefined));
    const running = engine.run();
    await until(() => server.callsOf('put').length === 1);
    const discarding = engine.discard(capture.captureId);
    held.open();
    await discarding;
    await running;
    const state = await outboxState(outbox);
    expect(state.captures).toEqual([]);
    expect(state.blobs).toEqual([]);
    expect(state.uploads).toEqual([]);
    expect(server.callsOf('abort')).toHaveLength(1);
    expect([...server.sessions.values()].map((s) => s.state)).toEqual(['aborted']);
    expect(server.files.size).toBe(0);
    // The DISCARDED event still reaches the server on the next run.
    await engine.run();
    expect([...server.events.values()].map((e) => e.kind)).toContain('discarded');
  });
  it('a capture discarded in another tab while its begin is on the way leaves no session behind, aborts it on the server and sends nothing', async () => {
    const { outbox, server, makeEngine, clock } = setupSync();
    const lines: string[] = [];
    const logger = createLogger('test', { sink: (level, line) => lines.push(`${level} ${line}`) });
    const engine = makeEngine({ logger });
    const capture = await saveNew(outbox, { size: 100, now: clock.now() });
    const held = gate();
    server.inject((c) => (c.proc === 'begin' ? { hold: held.opened } : undefined));
    const running = engine.run();
    await until(() => server.callsOf('begin').length === 1);
    // Another tab's discard goes straight to IndexedDB; this engine learns of it only from the store.
    await outbox.discardCapture({
      captureId: capture.captureId,
      eventId: uuidv7(),
      deviceLabel: 'Other tab',
      now: clock.now(),
    });
    held.open();
    await running;
    const state = await outboxState(outbox);
    expect(state.captures).toEqual([]);
    expect(state.uploads).toEqual([]);
    expect(server.callsOf('put')).toHaveLength(0);
    expect(server.callsOf('complete')).toHaveLength(0);
    // The session its begin opened is aborted, not left to expire.
    expect([...server.sessions.values()].map((s) => s.state)).toEqual(['aborted']);
    expect(lines.filter((l) => l.startsWith('error') || l.startsWith('warn'))).toEqual([]);
  });
  it('a capture discarded in another tab while its complete is on the way ends quietly, leaving nothing behind', async () => {
    const { outbox, server, makeEngine, clock } = setupSync();
    const lines: string[] = [];
    const logger = createLogger('test', { sink: (level, line) => lines.push(`${level} ${line}`) });
    const engine = makeEngine({ logger });
    const otherTab = makeEngine();
    const capture = await saveNew(outbox, { size: 100, now: clock.now() });
    const held = gate();
    server.inject((c) => (c.proc === 'complete' ? { hold: held.opened } : undefined));
    const running = engine.run();
    await until(() => server.callsOf('complete').length === 1);
    await otherTab.discard(capture.captureId);
    held.open();
    await running;
    const state = await outboxState(outbox);
    expect(state.captures).toEqual([]);
    expect(state.uploads).toEqual([]);
    expect(server.files.size).toBe(0);
    expect(lines.filter((l) => l.startsWith('error') || l.startsWith('warn'))).toEqual([]);
  });
});

describe('UI events', () => {
  it('reports item states and per-item bytes', async () => {
    const { outbox, engine, clock } = setupSync();
    const { captureId } = await saveNew(outbox, { size: 17 * MiB + 3, now: clock.now() });
    const states: string[] = [];
    const bytes: number[] = [];
    engine.on('item-state', (e) => states.push(e.state));
    const off = engine.on(
      'item-progress',
      (e) => e.captureId === captureId && bytes.push(e.bytesDone),
    );
    await engine.run();
    off();
    expect(states).toEqual(['uploading', 'verifying', 'done']);
    expect(bytes.at(-1)).toBe(17 * MiB + 3);
    expect(bytes).toEqual([...bytes].sort((x, y) => x - y));
  });
});
