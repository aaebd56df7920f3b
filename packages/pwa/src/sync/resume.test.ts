// Crash at every step of an upload, restart with a new engine on the same IndexedDB: nothing stored twice, exactly one complete.
import { describe, expect, it } from 'vitest';
import { createOutbox } from '../outbox/outbox';
import { HASHING_TIMEOUT_MS, saveNew } from '../outbox/testing';
import { createMemoryLock } from './lock';
import { createCrashSwitch, freezeOnCrash } from './testing/crash';
import type { Call, Fault, FakeServer } from './testing/fake-server';
import { rpcError } from './testing/fake-server';
import { factoryOf, outboxState, setupSync } from './testing/setup';
import { TransportError } from './transport';

const MiB = 1024 * 1024;

const at =
  (proc: Call['proc'], when: 'before' | 'after', partNumber?: number): Fault =>
  (c) =>
    c.proc === proc && (partNumber === undefined || c.partNumber === partNumber)
      ? { crash: when }
      : undefined;

const CRASH_POINTS: { name: string; fault: Fault; multipartOnly?: boolean }[] = [
  { name: 'after begin answered', fault: at('begin', 'after') },
  { name: 'after part 1 was stored', fault: at('put', 'after', 1) },
  { name: 'after part 2 was stored', fault: at('put', 'after', 2), multipartOnly: true },
  { name: 'after part 3 was stored', fault: at('put', 'after', 3), multipartOnly: true },
  { name: 'before complete reached the server', fault: at('complete', 'before') },
  { name: 'after complete, before the device recorded it', fault: at('complete', 'after') },
];

/** Stored PUTs per session/part; every value must be 1. */
function storedCounts(calls: Call[]): number[] {
  const counts = new Map<string, number>();
  for (const c of calls)
    counts.set(
      `${c.sessionId}/${c.partNumber}`,
      (counts.get(`${c.sessionId}/${c.partNumber}`) ?? 0) + 1,
    );
  return [...counts.values()];
}

async function crashThenResume(size: number, fault: Fault, partConcurrency: number) {
  const { outbox, factory, server, clock, makeEngine } = setupSync({
    sync: { partConcurrency, idlePartConcurrency: partConcurrency },
  });
  const capture = await saveNew(outbox, { size, now: clock.now() });
  const crash = createCrashSwitch();
  server.crash = crash;
  server.inject(fault);
  // First "process": dies at the fault; its run never ends.
  void makeEngine({ store: freezeOnCrash(outbox, crash), lock: createMemoryLock() }).run();
  await crash.happened;
  // Restart: the server lives on, the device opens its database afresh.
  server.crash = undefined;
  const reopened = createOutbox({ factory });
  const result = await makeEngine({ store: reopened, lock: createMemoryLock() }).run();
  return { capture, server, result, state: await outboxState(reopened) };
}

describe.each([
  { kind: 'single PUT', size: 4096 },
  { kind: 'multipart (3 parts)', size: 17 * MiB + 3 },
])('resume after a crash: $kind', { timeout: HASHING_TIMEOUT_MS }, ({ kind, size }) => {
  const points = CRASH_POINTS.filter((p) => !p.multipartOnly || kind !== 'single PUT');
  for (const concurrency of kind === 'single PUT' ? [4] : [1, 4]) {
    for (const point of points) {
      it(`${point.name} (part concurrency ${concurrency})`, async () => {
        const { capture, server, result, state } = await crashThenResume(
          size,
          point.fault,
          concurrency,
        );
        expect(result.status).toBe('idle');
        expect(server.files.get(capture.captureId)).toMatchObject({
          status: 'verified',
          sha256: capture.sha256,
        });
        expect(server.sessions.size).toBe(1);
        expect(storedCounts(server.storedPuts()).every((n) => n === 1)).toBe(true);
        if (kind !== 'single PUT') expect(server.callsOf('put')).toHaveLength(3);
        expect(server.callsOf('complete')).toHaveLength(1);
        expect(state.captures).toMatchObject([{ state: 'done', blobKey: null }]);
        expect(state.blobs).toEqual([]);
        expect(state.uploads).toEqual([]);
        const midUpload =
          point.name.startsWith('after part') || point.name.startsWith('before complete');
        if (midUpload) {
          // Resuming asks storage what it holds: the part whose ETag never reached the device (a single
          // PUT's ETag is never saved) is not sent again.
          expect(server.callsOf('listParts')).toHaveLength(1);
        }
        if (kind === 'single PUT')
          expect(server.callsOf('put').map((c) => c.status)).toEqual([200]);
      });
    }
  }
});

describe('one uploader at a time', () => {
  it('two engines (two tabs) triggered together upload each capture once', async () => {
    const { outbox, server, clock, makeEngine } = setupSync();
    const captures = [
      await saveNew(outbox, { size: 1000, now: clock.now() }),
      await saveNew(outbox, { size: 17 * MiB + 3, now: clock.now() }),
      await saveNew(outbox, { size: 3000, now: clock.now() }),
    ];
    const tabA = makeEngine();
    const tabB = makeEngine({ store: createOutbox({ factory: factoryOf(outbox) }) });
    const results = await Promise.all([tabA.run(), tabB.run(), tabA.run(), tabB.run()]);
    expect(results.map((r) => r.status)).toEqual(['idle', 'idle', 'idle', 'idle']);
    expect(server.callsOf('begin')).toHaveLength(3);
    expect(server.callsOf('complete')).toHaveLength(3);
    expect(server.callsOf('put')).toHaveLength(1 + 3 + 1);
    for (const c of captures) expect(server.files.get(c.captureId)?.status).toBe('verified');
  });

  it('a trigger during a run joins it, and captures saved meanwhile are picked up before it ends', async () => {
    const { outbox, server, clock, engine } = setupSync();
    await saveNew(outbox, { size: 1000, now: clock.now() });
    let release = () => {};
    let putHeld = () => {};
    const held = new Promise<void>((r) => (putHeld = r));
    server.inject((c) => {
      if (c.proc !== 'put') return undefined;
      putHeld();
      return { hold: new Promise<void>((r) => (release = r)) };
    });
    const first = engine.run();
    // The first run's PUT is on its way (a fixed wait raced it on a loaded machine).
    await held;
    await saveNew(outbox, { size: 2000, now: clock.now() });
    const second = engine.run();
    expect(second).toBe(first);
    release();
    expect(await second).toMatchObject({ status: 'idle', pending: 0 });
    expect(server.files.size).toBe(2);
  });

  it('a trigger that joins a run failing offline (the online event) gets a fresh drain, not the stale "offline"', async () => {
    const { outbox, server, clock, makeEngine } = setupSync();
    const capture = await saveNew(outbox, { size: 1000, now: clock.now() });
    // The run's first begin is on its way when the network comes back; it fails as no answer after the
    // `online` event was fired.
    let fail = () => {};
    const failing = new Promise<void>((r) => (fail = r));
    let begins = 0;
    let entered = () => {};
    const inBegin = new Promise<void>((r) => (entered = r));
    const begin: FakeServer['begin'] = async (input) => {
      if (begins++ > 0) return server.begin(input);
      entered();
      await failing;
      throw new TransportError({ status: null });
    };
    const engine = makeEngine({
      transport: Object.assign(Object.create(server) as FakeServer, { begin }),
    });
    const first = engine.run();
    await inBegin;
    const online = engine.run();
    fail();
    expect(await online).toMatchObject({ status: 'idle', uploaded: 1, pending: 0 });
    expect(await first).toMatchObject({ status: 'idle' });
    expect(server.files.get(capture.captureId)).toMatchObject({ status: 'verified' });
  });

  it('a run failing offline with no call joining it ends offline (the timer backs off)', async () => {
    const { outbox, server, clock, engine } = setupSync();
    await saveNew(outbox, { size: 1000, now: clock.now() });
    server.offline = true;
    expect(await engine.run()).toMatchObject({ status: 'offline', pending: 1 });
    expect(server.callsOf('begin')).toHaveLength(0);
  });
});

/** A multipart capture whose process died just before its `complete` reached the server; the server lives on. */
async function killedBeforeComplete() {
  const sync = setupSync();
  const { outbox, server, clock, makeEngine } = sync;
  const capture = await saveNew(outbox, { size: 17 * MiB + 3, now: clock.now() });
  const crash = createCrashSwitch();
  server.crash = crash;
  server.inject(at('complete', 'before'));
  void makeEngine({ store: freezeOnCrash(outbox, crash), lock: createMemoryLock() }).run();
  await crash.happened;
  server.crash = undefined;
  return { ...sync, capture };
}

describe('resume while the server is completing the session', () => {
  it('a multipart capture whose complete was sent before the crash goes straight to complete when listParts answers IN_PROGRESS', async () => {
    const { factory, server, makeEngine, capture } = await killedBeforeComplete();
    // The server says the session is completing (a dead completer's claim, or one still at work), as
    // often as it is asked: only `complete` can take the session over.
    server.failNext('listParts', rpcError('IN_PROGRESS'), 100);
    const reopened = createOutbox({ factory });
    const result = await makeEngine({ store: reopened, lock: createMemoryLock() }).run();
    expect(result).toMatchObject({ status: 'idle', uploaded: 1 });
    expect(server.files.get(capture.captureId)).toMatchObject({ status: 'verified' });
    expect(server.callsOf('put')).toHaveLength(3);
    expect(server.callsOf('complete')).toHaveLength(1);
  });

  it('a resumed session that ended meanwhile (listParts answers CONFLICT) is begun again, not parked as needing attention', async () => {
    const { factory, server, clock, makeEngine, capture } = await killedBeforeComplete();
    // Another request completed the session between this device's begin and its listParts.
    server.failNext('listParts', rpcError('CONFLICT'));
    const reopened = createOutbox({ factory });
    const engine = makeEngine({ store: reopened, lock: createMemoryLock() });
    await engine.run();
    expect(await reopened.getCapture(capture.captureId)).toMatchObject({
      state: 'failed',
      lastError: { code: 'SESSION_LOST' },
    });
    // What that other request did: the session is completed, the file verified.
    const sessionId = server.callsOf('listParts')[0]?.sessionId ?? '';
    const stored = (await server.listParts({ sessionId })).parts;
    const parts = stored.map(({ partNumber, etag }) => ({ partNumber, etag }));
    expect((await server.complete({ sessionId, parts })).state).toBe('verified');
    clock.advance(10 * 60_000);
    expect(await engine.run()).toMatchObject({ status: 'idle', uploaded: 1 });
    expect(await reopened.getCapture(capture.captureId)).toMatchObject({ state: 'done' });
    // Begun again, the capture was answered verified: no byte sent twice.
    expect(server.callsOf('put')).toHaveLength(3);
  });
});
