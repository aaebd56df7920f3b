// Receipts overlap: the PUT cap holds across files, a lane moves on while the server completes, one failure stalls no other, calls go in batches.
import { describe, expect, it, vi } from 'vitest';
import { saveNew } from '../outbox/testing';
import { createBatchGate, createLimiter, forEachInWindow } from './limiter';
import type { SyncTransport } from './transport';
import { createFakeClock } from './testing/fake-clock';
import { rpcError, type FakeServer } from './testing/fake-server';
import { outboxState, setupSync } from './testing/setup';

/** Resolves after real macrotasks, so other lanes get to run (the fake clock does not drive this). */
const ticks = (n = 3) =>
  new Promise<void>((resolve) => {
    let left = n;
    const next = () => (--left <= 0 ? resolve() : setTimeout(next, 0));
    setTimeout(next, 0);
  });

/** The fake server's transport with PUTs counted while in flight (each PUT held for a few ticks). */
function countingPuts(server: FakeServer) {
  const stats = { inFlight: 0, max: 0 };
  const transport: SyncTransport = {
    begin: (i) => server.begin(i),
    signParts: (i) => server.signParts(i),
    listParts: (i) => server.listParts(i),
    complete: (i) => server.complete(i as Parameters<FakeServer['complete']>[0]),
    abort: (i) => server.abort(i),
    pushEvents: (i) => server.pushEvents(i),
    putBytes: async (request, body, signal) => {
      stats.max = Math.max(stats.max, ++stats.inFlight);
      try {
        await ticks();
        return await server.putBytes(request, body, signal);
      } finally {
        stats.inFlight--;
      }
    },
  };
  return { transport, stats };
}

describe('sync engine: receipts overlap', () => {
  it('never has more PUTs in flight than totalConcurrency, and fills that cap', async () => {
    const sync = { totalConcurrency: 3, fileConcurrency: 8 };
    const { outbox, server, clock, makeEngine } = setupSync({ sync });
    for (let i = 0; i < 12; i++) await saveNew(outbox, { size: 1000 + i, now: clock.now() });
    const { transport, stats } = countingPuts(server);
    const result = await makeEngine({ transport }).run();
    expect(result).toMatchObject({ status: 'idle', uploaded: 12 });
    expect(stats.max).toBe(3);
    expect(server.storedPuts()).toHaveLength(12);
    expect([...server.files.values()].every((f) => f.status === 'verified')).toBe(true);
  });

  it('sends the next receipts while earlier ones wait for uploads.complete', async () => {
    const { outbox, server, engine, clock } = setupSync({ sync: { fileConcurrency: 1 } });
    for (let i = 0; i < 3; i++) await saveNew(outbox, { size: 500 + i, now: clock.now() });
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    server.inject((c) => (c.proc === 'complete' ? { hold: held } : undefined), 1);
    const run = engine.run();
    // One lane only: all three PUTs land although the first receipt's complete is still held.
    for (let i = 0; i < 50 && server.storedPuts().length < 3; i++) await ticks(1);
    expect(server.storedPuts()).toHaveLength(3);
    release();
    expect(await run).toMatchObject({ status: 'idle', uploaded: 3 });
  });

  it('sends the bytes of every receipt before any uploads.complete while the PUT slots stay busy', async () => {
    const sync = { totalConcurrency: 2, fileConcurrency: 8 };
    const { outbox, server, clock, makeEngine } = setupSync({ sync });
    for (let i = 0; i < 8; i++) await saveNew(outbox, { size: 900 + i, now: clock.now() });
    const { transport } = countingPuts(server);
    expect(await makeEngine({ transport }).run()).toMatchObject({ status: 'idle', uploaded: 8 });
    const order = server.calls.filter((c) => c.proc === 'put' || c.proc === 'complete');
    const firstComplete = order.findIndex((c) => c.proc === 'complete');
    const lastPut = order.map((c) => c.proc).lastIndexOf('put');
    expect(lastPut).toBeLessThan(firstComplete);
    // Deferred completes go in full batches: 8 receipts, 16 to a request.
    expect(server.callsOf('complete')).toHaveLength(8);
  });

  it('a failing receipt stalls no other: the rest are verified in the same run', async () => {
    const { outbox, server, engine, clock } = setupSync({ sync: { fileConcurrency: 4 } });
    const captures = [];
    for (let i = 0; i < 6; i++)
      captures.push(await saveNew(outbox, { size: 700 + i, now: clock.now() }));
    const bad = captures[2]?.captureId;
    const badSession = () => [...server.sessions.values()].find((s) => s.input.captureId === bad);
    // Its PUT fails with a server error every time in this run; its complete is never reached.
    server.inject(
      (c) =>
        c.proc === 'put' && c.sessionId === badSession()?.id
          ? { error: rpcError('INTERNAL') }
          : undefined,
      10,
    );
    const result = await engine.run();
    expect(result).toMatchObject({ status: 'waiting', uploaded: 5, pending: 1 });
    const state = await outboxState(outbox);
    const failed = state.captures.filter((c) => c.state !== 'done');
    expect(failed).toMatchObject([{ captureId: bad, state: 'failed' }]);
    // Its bytes stay on the device for the next attempt; the others' are freed.
    expect(state.blobs).toHaveLength(1);
  });

  it("records a receipt's attempt as its begin batch leaves, not while it waits for one", async () => {
    const { outbox, server, engine, clock } = setupSync({ sync: { callBatches: 1 } });
    const ids: string[] = [];
    for (let i = 0; i < 4; i++)
      ids.push((await saveNew(outbox, { size: 400 + i, now: clock.now() })).captureId);
    // The first begin is held: with one batch out at a time, the other receipts wait for the next.
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    server.inject((c) => (c.proc === 'begin' ? { hold: held } : undefined));
    const run = engine.run();
    await vi.waitFor(() => expect(server.callsOf('begin')).toHaveLength(1));
    await ticks();
    const state = await outboxState(outbox);
    const uploading = state.captures.filter((c) => c.state === 'uploading');
    const attempts = state.events.filter((e) => e.kind === 'sync_attempt');
    // Only the receipts whose begin went are uploading, each with its attempt; the rest are still queued.
    expect(uploading.length).toBeGreaterThan(0);
    expect(uploading.length).toBeLessThan(4);
    expect(attempts.map((e) => e.captureId).sort()).toEqual(
      uploading.map((c) => c.captureId).sort(),
    );
    expect(state.captures.filter((c) => c.state === 'queued')).toHaveLength(4 - uploading.length);
    release();
    expect(await run).toMatchObject({ status: 'idle', uploaded: 4 });
    expect(server.callsOf('begin').length).toBeGreaterThan(1);
  });

  it('shows a stored receipt as uploading until its complete goes, then verifying', async () => {
    const { outbox, server, engine, clock } = setupSync({ sync: { totalConcurrency: 2 } });
    for (let i = 0; i < 2; i++) await saveNew(outbox, { size: 500 + i, now: clock.now() });
    // The second PUT is held: completes give way to PUTs, so the first receipt's complete waits.
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    const putSessions: string[] = [];
    server.inject((c) => {
      if (c.proc !== 'put') return undefined;
      putSessions.push(c.sessionId ?? '');
      return putSessions.length === 2 ? { hold: held } : undefined;
    }, 2);
    const states = new Map<string, string[]>();
    engine.on('item-state', (e) =>
      states.set(e.captureId, [...(states.get(e.captureId) ?? []), e.state]),
    );
    const run = engine.run();
    await vi.waitFor(() => expect(putSessions).toHaveLength(2));
    const stored = server.sessions.get(putSessions[0] ?? '')?.input.captureId ?? '';
    await vi.waitFor(() => expect(server.storedPuts()).toHaveLength(1));
    await ticks();
    expect(server.callsOf('complete')).toEqual([]);
    expect((await outbox.getCapture(stored))?.state).toBe('uploading');
    release();
    expect(await run).toMatchObject({ status: 'idle', uploaded: 2 });
    expect(states.get(stored)).toEqual(['uploading', 'verifying', 'done']);
  });

  it('a run stopped by the network mid-way starts no new receipt and keeps every one queued', async () => {
    const { outbox, server, engine, clock } = setupSync({ sync: { fileConcurrency: 2 } });
    for (let i = 0; i < 6; i++) await saveNew(outbox, { size: 300 + i, now: clock.now() });
    // The network goes the moment the third PUT reaches storage (that call still gets through).
    let puts = 0;
    server.inject((c) => {
      if (c.proc === 'put' && ++puts === 3) server.offline = true;
      return undefined;
    });
    const result = await engine.run();
    expect(result.status).toBe('offline');
    const begun = server.callsOf('begin').length;
    expect(begun).toBeLessThan(6);
    server.offline = false;
    expect(await engine.run()).toMatchObject({ status: 'idle', pending: 0 });
    expect(server.files.size).toBe(6);
    expect(server.storedPuts()).toHaveLength(6);
  });
});

describe('multipart parts and their saved ETags', () => {
  it('sends the next part while the last ETag is still being saved, and completes only once all are saved', async () => {
    const { outbox, server, clock, makeEngine } = setupSync({
      sync: { partConcurrency: 1, idlePartConcurrency: 1 },
    });
    await saveNew(outbox, { size: 17 * 1024 * 1024 + 3, now: clock.now() });
    let saving = 0;
    const saves: (() => void)[] = [];
    // Every ETag write waits until the test lets it through (a loaded device's slow IndexedDB).
    const store: typeof outbox = {
      ...outbox,
      recordDonePart: async (change) => {
        saving++;
        await new Promise<void>((resolve) => saves.push(resolve));
        return outbox.recordDonePart(change);
      },
    };
    const run = makeEngine({ store }).run();
    for (let i = 0; i < 100 && server.storedPuts().length < 3; i++) await ticks(1);
    // One part at a time, yet all three were sent with no ETag saved yet; complete waits for the saves.
    expect(server.storedPuts()).toHaveLength(3);
    expect(saving).toBe(3);
    expect(server.callsOf('complete')).toHaveLength(0);
    for (const save of saves) save();
    expect(await run).toMatchObject({ status: 'idle', uploaded: 1 });
    expect(server.callsOf('complete')).toHaveLength(1);
  });
});

describe('part bodies', () => {
  it('slices every part of a file before its first PUT (slicing while uploads run stalls the page in Chromium)', async () => {
    // One part at a time: without slicing ahead, each part would be sliced just before its own PUT.
    const sync = { partConcurrency: 1, idlePartConcurrency: 1 };
    const { outbox, server, clock, makeEngine } = setupSync({ sync });
    await saveNew(outbox, { size: 17 * 1024 * 1024 + 3, now: clock.now() });
    const order: string[] = [];
    const store: typeof outbox = {
      ...outbox,
      getCaptureBlob: async (key) => {
        const blob = await outbox.getCaptureBlob(key);
        if (!blob) return blob;
        const slice = blob.slice.bind(blob);
        blob.slice = (...args: Parameters<Blob['slice']>) => (order.push('slice'), slice(...args));
        return blob;
      },
    };
    const transport: SyncTransport = {
      ...countingPuts(server).transport,
      putBytes: (request, body, signal) => (
        order.push('put'),
        server.putBytes(request, body, signal)
      ),
    };
    expect(await makeEngine({ store, transport }).run()).toMatchObject({ uploaded: 1 });
    expect(order).toEqual(['slice', 'slice', 'slice', 'put', 'put', 'put']);
    expect(server.files.get([...server.files.keys()][0] ?? '')).toMatchObject({
      status: 'verified',
    });
  });
});

describe('PUT slots shared by parts and receipts', () => {
  it('a file alone takes every free slot for its parts, however low partConcurrency is', async () => {
    const sync = { partConcurrency: 1, idlePartConcurrency: 3, totalConcurrency: 3 };
    const { outbox, server, clock, makeEngine } = setupSync({ sync });
    await saveNew(outbox, { size: 17 * 1024 * 1024 + 3, now: clock.now() });
    const { transport, stats } = countingPuts(server);
    expect(await makeEngine({ transport }).run()).toMatchObject({ status: 'idle', uploaded: 1 });
    expect(stats.max).toBe(3);
    expect(server.storedPuts()).toHaveLength(3);
  });

  it('spare slots go only when no one else waits, and a spare waiter can withdraw', async () => {
    const limiter = createLimiter(1);
    const order: string[] = [];
    let free = () => {};
    const held = new Promise<void>((resolve) => (free = resolve));
    const first = limiter.run(() => held);
    const withdraw = new AbortController();
    const task = (name: string) => () => Promise.resolve(void order.push(name));
    const spareRun = limiter.runSpare(task('spare'), new AbortController().signal);
    const withdrawn = limiter.runSpare(task('withdrawn'), withdraw.signal);
    const normal = limiter.run(task('normal'));
    withdraw.abort();
    free();
    await Promise.all([first, spareRun, normal]);
    expect(await withdrawn).toBeUndefined();
    // The normal caller came after the spare one, yet went first; the withdrawn task never ran.
    expect(order).toEqual(['normal', 'spare']);
  });
});

describe('batch gate', () => {
  it('starts calls queued in one tick together, up to perBatch, with at most `batches` batches out', async () => {
    const gate = createBatchGate({ batches: 2, perBatch: 3 });
    const started: number[] = [];
    const finish: (() => void)[] = [];
    const calls = Array.from({ length: 8 }, (_, i) =>
      gate.run(() => {
        started.push(i);
        return new Promise<number>((resolve) => finish.push(() => resolve(i)));
      }),
    );
    await ticks(1);
    expect(started).toEqual([0, 1, 2, 3, 4, 5]);
    // The first batch ends only when all of its calls have: then the next one starts.
    finish[0]?.();
    finish[1]?.();
    await ticks(1);
    expect(started).toHaveLength(6);
    finish[2]?.();
    await ticks(1);
    expect(started).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    for (const f of finish.slice(3)) f();
    expect(await Promise.all(calls)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });

  it('passes a failing call to its caller only', async () => {
    const gate = createBatchGate({ batches: 1, perBatch: 4 });
    const ok = gate.run(() => Promise.resolve('ok'));
    const bad = gate.run(() => Promise.reject(new Error('no')));
    const thrown = gate.run(() => {
      throw new Error('sync throw');
    });
    await expect(ok).resolves.toBe('ok');
    await expect(bad).rejects.toThrow('no');
    await expect(thrown).rejects.toThrow('sync throw');
    await expect(gate.run(() => Promise.resolve(1))).resolves.toBe(1);
  });

  it('starts no call while the gate it yields to is busy, and starts them once that one is idle', async () => {
    const begins = createBatchGate({ batches: 1, perBatch: 2 });
    const completes = createBatchGate({ batches: 1, perBatch: 2, yieldTo: begins });
    let endBegin = () => {};
    const begin = begins.run(() => new Promise<void>((resolve) => (endBegin = resolve)));
    let started = false;
    const complete = completes.run(() => {
      started = true;
      return Promise.resolve('done');
    });
    await ticks();
    expect(begins.busy()).toBe(true);
    expect(started).toBe(false);
    endBegin();
    await begin;
    await expect(complete).resolves.toBe('done');
    expect(completes.busy()).toBe(false);
  });
});

describe('batch gate holding a short batch while the work it feeds is supplied', () => {
  /** A limiter of one slot, held, with `queued` more tasks waiting; `next()` lets one task finish. */
  function suppliedLimiter(queued: number) {
    const limiter = createLimiter(1);
    const finish: (() => void)[] = [];
    const task = () => limiter.run(() => new Promise<void>((resolve) => finish.push(resolve)));
    const tasks = Array.from({ length: queued + 1 }, task);
    return { limiter, tasks, next: () => finish.shift()?.() };
  }

  it('holds a short batch while enough tasks wait, and sends it once fewer do', async () => {
    const { limiter, next } = suppliedLimiter(2);
    expect(limiter.queued()).toBe(2);
    const gate = createBatchGate({
      batches: 1,
      perBatch: 3,
      holdWhileSupplied: { work: limiter, enough: 2 },
    });
    const started: number[] = [];
    const calls = [1, 2].map((n) => gate.run(() => (started.push(n), Promise.resolve(n))));
    await ticks();
    expect(started).toEqual([]);
    expect(gate.busy()).toBe(true);
    // One finished task hands its slot to a waiting one: one waits now, fewer than enough.
    next();
    await ticks();
    expect(limiter.queued()).toBe(1);
    expect(await Promise.all(calls)).toEqual([1, 2]);
    expect(started).toEqual([1, 2]);
  });

  it('sends a full batch at once however much work waits', async () => {
    const { limiter } = suppliedLimiter(5);
    const gate = createBatchGate({
      batches: 1,
      perBatch: 2,
      holdWhileSupplied: { work: limiter, enough: 2 },
    });
    const started: number[] = [];
    const calls = [1, 2, 3].map((n) => gate.run(() => (started.push(n), Promise.resolve(n))));
    await ticks();
    // The first two made a full batch; the third is short of one and waits.
    expect(started).toEqual([1, 2]);
    await expect(Promise.all(calls.slice(0, 2))).resolves.toEqual([1, 2]);
    await ticks();
    expect(started).toEqual([1, 2]);
    expect(limiter.queued()).toBe(5);
  });
});

describe('batch gate deferring to other work', () => {
  /** A limiter's activity held busy by one task until `free()`. */
  function busyLimiter() {
    const limiter = createLimiter(1);
    let free = () => {};
    const release = new Promise<void>((resolve) => (free = resolve));
    const held = limiter.run(() => release);
    return { limiter, free: () => (free(), held) };
  }

  /** A gate of one batch of `perBatch` deferring to a busy limiter for up to 10 s of a fake clock. */
  function deferringGate(perBatch: number) {
    const clock = createFakeClock();
    const busy = busyLimiter();
    const deferTo = {
      activity: busy.limiter,
      maxMs: 10_000,
      now: () => clock.now(),
      sleep: (ms: number, signal: AbortSignal) => clock.sleep(ms, signal),
    };
    return { clock, ...busy, gate: createBatchGate({ batches: 1, perBatch, deferTo }) };
  }

  it('a limiter is busy while a task runs and tells its idle listeners when the last one ends', async () => {
    const { limiter, free } = busyLimiter();
    let idle = 0;
    limiter.onIdle(() => idle++);
    const queued = limiter.run(() => Promise.resolve('second'));
    expect(limiter.busy()).toBe(true);
    await free();
    await expect(queued).resolves.toBe('second');
    expect(limiter.busy()).toBe(false);
    // Handing the slot to the waiting task is not idle: only the end of the last task is.
    expect(idle).toBe(1);
  });

  it('holds calls while the deferred-to work is busy and starts them once it is idle', async () => {
    const { clock, free, gate } = deferringGate(4);
    const started: number[] = [];
    const calls = [1, 2, 3].map((n) => gate.run(() => (started.push(n), Promise.resolve(n))));
    await ticks();
    expect(started).toEqual([]);
    expect(gate.busy()).toBe(true);
    // One wake-up is armed for the oldest call's deadline, not one per call.
    expect(clock.timers()).toEqual([clock.now() + 10_000]);
    await free();
    expect(await Promise.all(calls)).toEqual([1, 2, 3]);
    expect(started).toEqual([1, 2, 3]);
    // The wake-up is cancelled once the calls went.
    expect(clock.timers()).toEqual([]);
  });

  it('starts the waiting calls anyway once the oldest has waited maxMs, and no sooner', async () => {
    const { clock, limiter, free, gate } = deferringGate(2);
    const started: string[] = [];
    const call = (name: string) => gate.run(() => (started.push(name), Promise.resolve(name)));
    const first = call('first');
    clock.advance(4_000);
    const second = call('second');
    clock.advance(5_999);
    await ticks();
    expect(started).toEqual([]);
    clock.advance(1);
    // Both go in the batch the oldest's deadline started, though the second waited only 6 s.
    await expect(Promise.all([first, second])).resolves.toEqual(['first', 'second']);
    expect(limiter.busy()).toBe(true);
    // Nothing waits, so no wake-up stays armed.
    await ticks();
    expect(clock.timers()).toEqual([]);
    // A call arriving now waits its own 10 s again while the limiter stays busy.
    const third = call('third');
    clock.advance(9_999);
    await ticks();
    expect(started).toEqual(['first', 'second']);
    clock.advance(1);
    await expect(third).resolves.toBe('third');
    await free();
  });
});

describe('window over receipts', () => {
  /** Runs the window over `sizes` with workers held until released; returns what was let in so far. */
  function windowOver(sizes: number[], options: { maxItems: number; maxBytes: number }) {
    const inside = new Map<number, () => void>();
    const admitted: number[] = [];
    const done = forEachInWindow(sizes, { ...options, sizeOf: (s) => s }, (size) => {
      admitted.push(size);
      return new Promise<void>((resolve) => inside.set(size, resolve));
    });
    const release = (size: number) => inside.get(size)?.();
    return { admitted, release, done };
  }

  it('lets receipts in, in order, up to maxItems and maxBytes; a larger one waits to go alone', async () => {
    const { admitted, release, done } = windowOver([10, 20, 30, 200, 5], {
      maxItems: 2,
      maxBytes: 100,
    });
    await ticks();
    expect(admitted).toEqual([10, 20]);
    release(10);
    await ticks();
    expect(admitted).toEqual([10, 20, 30]);
    // 200 bytes is past the window: it waits until the window is empty, and nothing passes it.
    release(20);
    await ticks();
    expect(admitted).toEqual([10, 20, 30]);
    release(30);
    await ticks();
    expect(admitted).toEqual([10, 20, 30, 200]);
    release(200);
    await ticks();
    release(5);
    await done;
    expect(admitted).toEqual([10, 20, 30, 200, 5]);
  });

  it('lets nothing more in once stop() is true, and waits for those inside', async () => {
    let stopped = false;
    const admitted: number[] = [];
    let finished = 0;
    const sizes = [1, 2, 3, 4];
    const window = { maxItems: 2, maxBytes: 100, sizeOf: (s: number) => s, stop: () => stopped };
    await forEachInWindow(sizes, window, async (size) => {
      admitted.push(size);
      stopped = true;
      await ticks(1);
      finished++;
    });
    expect(admitted).toEqual([1]);
    expect(finished).toBe(1);
  });
});
