// Sync engine happy paths against the fake server: single and multipart, several captures, events after their uploads.
import { describe, expect, it } from 'vitest';
import { saveNew } from '../outbox/testing';
import { outboxState, setupSync } from './testing/setup';

const MiB = 1024 * 1024;

describe('sync engine: happy paths', () => {
  it('uploads a receipt with one PUT: begin → PUT → complete, then frees the bytes', async () => {
    const { outbox, server, engine, clock } = setupSync();
    const capture = await saveNew(outbox, { size: 2048, now: clock.now() });
    const result = await engine.run();
    expect(result).toEqual({ status: 'idle', uploaded: 1, pending: 0, retryAt: null });
    expect(server.calls.map((c) => c.proc)).toEqual(['begin', 'put', 'complete', 'pushEvents']);
    const file = server.files.get(capture.captureId);
    expect(file).toMatchObject({ status: 'verified', sha256: capture.sha256, size: 2048 });
    const state = await outboxState(outbox);
    expect(state.captures).toMatchObject([
      { state: 'done', serverFileId: file?.id, blobKey: null },
    ]);
    expect(state.blobs).toEqual([]);
    expect(state.uploads).toEqual([]);
  });

  it('uploads a multipart file: parts in parallel, missing URLs signed, parts completed in order', async () => {
    const { outbox, server, engine, clock } = setupSync({ server: { initialPartUrls: 1 } });
    const capture = await saveNew(outbox, { size: 17 * MiB + 3, now: clock.now() });
    const result = await engine.run();
    expect(result.status).toBe('idle');
    const stored = server
      .storedPuts()
      .map((c) => c.partNumber)
      .sort();
    expect(stored).toEqual([1, 2, 3]);
    expect(server.callsOf('put')).toHaveLength(3);
    expect(server.callsOf('signParts')).toHaveLength(1);
    expect(server.callsOf('listParts')).toHaveLength(0);
    expect(server.callsOf('complete')).toHaveLength(1);
    expect(server.files.get(capture.captureId)).toMatchObject({
      status: 'verified',
      size: 17 * MiB + 3,
    });
    expect((await outboxState(outbox)).blobs).toEqual([]);
  });

  it('follows the server when it answers a small file with a one-part multipart session', async () => {
    const { outbox, server, engine, clock } = setupSync({ server: { singleAsOnePart: true } });
    const capture = await saveNew(outbox, { size: 3000, now: clock.now() });
    expect(await engine.run()).toMatchObject({ status: 'idle', uploaded: 1 });
    expect(server.storedPuts().map((c) => c.partNumber)).toEqual([1]);
    expect(server.files.get(capture.captureId)).toMatchObject({ status: 'verified', size: 3000 });
  });

  it('uploads several captures in one run and reports progress to the byte', async () => {
    const { outbox, server, engine, clock } = setupSync();
    const sizes = [1000, 2000, 3000, 4000, 5000];
    for (const size of sizes) await saveNew(outbox, { size, now: clock.now() });
    const totals: number[] = [];
    engine.on('progress', (p) => totals.push(p.bytesDone));
    const result = await engine.run();
    expect(result).toMatchObject({ status: 'idle', uploaded: 5, pending: 0 });
    expect(server.files.size).toBe(5);
    expect(totals.at(-1)).toBe(15000);
    const state = await outboxState(outbox);
    expect(state.captures.every((c) => c.state === 'done')).toBe(true);
  });

  it('pushes device events only after the upload they describe, and marks them pushed', async () => {
    const { outbox, server, engine, clock } = setupSync();
    const a = await saveNew(outbox, { size: 100, now: clock.now() });
    await engine.run();
    const completeAt = server.calls.findIndex((c) => c.proc === 'complete');
    const pushed = [...server.events.values()].filter((e) => e.captureId === a.captureId);
    expect(pushed.map((e) => e.kind).sort()).toEqual(['captured', 'sync_attempt']);
    for (const e of pushed) expect(server.eventPushedAt.get(e.id)).toBeGreaterThan(completeAt);
    expect((await outboxState(outbox)).events.every((e) => e.pushed === 1)).toBe(true);
  });

  it('holds back events of captures still waiting, and sends them once they are uploaded', async () => {
    const { outbox, server, engine, clock } = setupSync();
    const later = await saveNew(outbox, { size: 100, now: clock.now() + 60_000 });
    const now = await saveNew(outbox, { size: 100, now: clock.now() });
    await engine.run();
    const ids = () => new Set([...server.events.values()].map((e) => e.captureId));
    expect(ids()).toEqual(new Set([now.captureId]));
    clock.advance(60_000);
    await engine.run();
    expect(ids()).toEqual(new Set([now.captureId, later.captureId]));
  });

  it('answers an already verified capture from begin without sending bytes', async () => {
    const { outbox, server, engine, clock } = setupSync();
    const capture = await saveNew(outbox, { size: 100, now: clock.now() });
    await engine.run();
    // The device forgot it was done (e.g. restored backup): begin says verified, nothing is PUT again.
    const db = await outbox.getDb();
    const done = await db.get('captures', capture.captureId);
    if (!done) throw new Error('missing');
    await db.put('captures', { ...done, state: 'queued', blobKey: null });
    const before = server.callsOf('put').length;
    await engine.run();
    expect(server.callsOf('put')).toHaveLength(before);
    expect(await outbox.getCapture(capture.captureId)).toMatchObject({ state: 'done' });
  });

  it('asks for attention when the local bytes are gone and the server does not have them', async () => {
    const { outbox, server, engine, clock } = setupSync();
    const capture = await saveNew(outbox, { size: 100, now: clock.now() });
    const db = await outbox.getDb();
    await db.delete('blobs', capture.captureId);
    await engine.run();
    expect(server.callsOf('put')).toHaveLength(0);
    expect(await outbox.getCapture(capture.captureId)).toMatchObject({
      state: 'needs-attention',
      lastError: { code: 'LOCAL_COPY_MISSING' },
    });
  });
});
