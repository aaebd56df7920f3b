// How the engine reacts to each failure class: backoff schedule, Retry-After, permanent refusals, sign-in, offline, mismatches, expired URLs.
import { describe, expect, it } from 'vitest';
import type { ErrorCode } from '@fieldvault/shared/errors';
import { saveNew } from '../outbox/testing';
import { backoffDelay } from './backoff';
import { IN_PROGRESS_RETRY_MS } from './outcomes';
import { OVERDUE_RETRY_MS } from './run';
import { TransportError } from './transport';
import { rpcError } from './testing/fake-server';
import { outboxState, setupSync } from './testing/setup';

const MiB = 1024 * 1024;

/** The session was dropped and the capture backs off; the next run sends the bytes again and is verified. */
async function expectStartedAfresh(
  sync: Pick<ReturnType<typeof setupSync>, 'outbox' | 'server' | 'engine' | 'clock'>,
  captureId: string,
) {
  const { outbox, server, engine, clock } = sync;
  expect(await outbox.getUpload(captureId)).toBeUndefined();
  expect(await outbox.getCapture(captureId)).toMatchObject({
    state: 'failed',
    lastError: { code: 'SESSION_LOST' },
  });
  clock.advance(60_000);
  expect(await engine.run()).toMatchObject({ uploaded: 1 });
  expect(server.callsOf('put')).toHaveLength(2);
  expect(server.files.get(captureId)).toMatchObject({ status: 'verified' });
}

describe('backoff', () => {
  it('is full jitter over a doubling window, capped', () => {
    const options = { baseMs: 1000, capMs: 10_000 };
    expect([1, 2, 3, 4, 5, 6].map((n) => backoffDelay(n, () => 0.999999, options))).toEqual([
      999, 1999, 3999, 7999, 9999, 9999,
    ]);
    expect(backoffDelay(3, () => 0, options)).toBe(0);
  });

  it('arms a retry for a capture still due when the run ends (its failure could not be recorded)', async () => {
    const { outbox, server, makeEngine, clock } = setupSync();
    const { captureId } = await saveNew(outbox, { size: 100, now: clock.now() });
    // IndexedDB refuses this capture's writes (quota, a connection closed by an upgrade elsewhere).
    const refuse = () => Promise.reject(new DOMException('quota exceeded', 'QuotaExceededError'));
    const store = Object.assign(Object.create(outbox) as typeof outbox, {
      startAttempt: refuse,
      recordFailure: refuse,
    });
    const result = await makeEngine({ store }).run();
    expect(await outbox.getCapture(captureId)).toMatchObject({ state: 'queued', attempts: 0 });
    expect(result).toMatchObject({
      status: 'waiting',
      pending: 1,
      retryAt: clock.now() + OVERDUE_RETRY_MS,
    });
    expect(server.calls).toEqual([]);
  });

  it('reschedules a capture after each server error on the backoff schedule, then uploads it', async () => {
    const { outbox, server, engine, clock } = setupSync({
      sync: { backoff: { baseMs: 1000, capMs: 3000 } },
    });
    const { captureId } = await saveNew(outbox, { size: 100, now: clock.now() });
    server.failNext('begin', rpcError('INTERNAL'), 4);
    const delays: number[] = [];
    for (let i = 0; i < 4; i++) {
      const start = clock.now();
      const result = await engine.run();
      const item = await outbox.getCapture(captureId);
      expect(item).toMatchObject({
        state: 'failed',
        attempts: i + 1,
        lastError: { code: 'INTERNAL' },
      });
      expect(result).toMatchObject({ status: 'waiting', retryAt: item?.nextAttemptAt });
      delays.push((item?.nextAttemptAt ?? 0) - start);
      // Not due yet: a run does nothing.
      const calls = server.calls.length;
      clock.advance((delays[i] ?? 0) - 1);
      await engine.run();
      expect(server.calls.length).toBe(calls);
      clock.advance(1);
    }
    // random() = 0.5: half of 1 s, 2 s, then the 3 s cap.
    expect(delays).toEqual([500, 1000, 1500, 1500]);
    expect(await engine.run()).toMatchObject({ status: 'idle', uploaded: 1 });
    const events = (await outboxState(outbox)).events.filter((e) => e.kind === 'sync_failed');
    expect(events).toHaveLength(4);
  });
});

describe('error classes', () => {
  const permanent: ErrorCode[] = ['NOT_ALLOWED_TYPE', 'TOO_LARGE', 'BAD_INPUT', 'CONFLICT'];
  for (const code of permanent) {
    it(`${code} → needs-attention with the reason; bytes kept; nothing retried`, async () => {
      const { outbox, server, engine, clock } = setupSync();
      const { captureId } = await saveNew(outbox, { size: 100, now: clock.now() });
      server.failNext('begin', rpcError(code));
      const result = await engine.run();
      expect(result).toMatchObject({ status: 'idle', pending: 0 });
      expect(await outbox.getCapture(captureId)).toMatchObject({
        state: 'needs-attention',
        lastError: { code },
      });
      expect((await outboxState(outbox)).blobs).toHaveLength(1);
      clock.advance(24 * 3600_000);
      await engine.run();
      expect(server.callsOf('begin')).toHaveLength(1);
      // The user taps Retry: it goes again.
      expect(await engine.retryItem(captureId)).toMatchObject({ uploaded: 1 });
    });
  }

  it('401 → stops, says "sign in needed", keeps every capture queued with no attempt counted', async () => {
    const { outbox, server, engine, clock } = setupSync({ sync: { fileConcurrency: 1 } });
    await saveNew(outbox, { size: 100, now: clock.now() });
    await saveNew(outbox, { size: 100, now: clock.now() });
    server.failNext('begin', rpcError('UNAUTHENTICATED'));
    const signIn: number[] = [];
    engine.on('sign-in-needed', (e) => signIn.push(e.pending));
    const result = await engine.run();
    expect(result).toMatchObject({ status: 'signed-out', pending: 2 });
    expect(signIn).toEqual([2]);
    expect(server.calls.map((c) => c.proc)).toEqual(['begin']);
    const { captures } = await outboxState(outbox);
    expect(captures.map((c) => [c.state, c.attempts])).toEqual([
      ['queued', 0],
      ['queued', 0],
    ]);
    expect(await engine.run()).toMatchObject({ status: 'idle', uploaded: 2 });
  });

  it('no network → stops as offline, nothing counted, all due again at once when back', async () => {
    const { outbox, server, engine, clock } = setupSync();
    const { captureId, nextAttemptAt } = await saveNew(outbox, { size: 100, now: clock.now() });
    server.offline = true;
    expect(await engine.run()).toMatchObject({ status: 'offline', pending: 1 });
    expect(await outbox.getCapture(captureId)).toMatchObject({
      state: 'queued',
      attempts: 0,
      nextAttemptAt,
      lastError: { code: 'OFFLINE' },
    });
    server.offline = false;
    expect(await engine.run()).toMatchObject({ status: 'idle', uploaded: 1 });
  });

  it('after an offline run, one receipt probes the network first: each further offline run records one attempt, not one per receipt', async () => {
    const { outbox, server, engine, clock } = setupSync({ sync: { fileConcurrency: 8 } });
    for (let i = 0; i < 6; i++) await saveNew(outbox, { size: 100 + i, now: clock.now() });
    const attempts = async () =>
      (await outboxState(outbox)).events.filter((e) => e.kind === 'sync_attempt').length;
    server.offline = true;
    expect(await engine.run()).toMatchObject({ status: 'offline', pending: 6 });
    const first = await attempts();
    expect(first).toBeGreaterThanOrEqual(1);
    for (let run = 1; run <= 3; run++) {
      expect(await engine.run()).toMatchObject({ status: 'offline', pending: 6 });
      expect(await attempts()).toBe(first + run);
    }
    // Back online: the probe is answered, the window opens, everything goes in that run.
    server.offline = false;
    expect(await engine.run()).toMatchObject({ status: 'idle', uploaded: 6, pending: 0 });
    expect(server.callsOf('begin').length).toBeGreaterThanOrEqual(6);
  });

  it('IN_PROGRESS at complete (another request is completing it) → the capture backs off and is delivered later, never parked', async () => {
    const { outbox, server, engine, clock } = setupSync({
      sync: { backoff: { baseMs: 1000, capMs: 3000 } },
    });
    const { captureId } = await saveNew(outbox, { size: 100, now: clock.now() });
    server.failNext('complete', rpcError('IN_PROGRESS'));
    await engine.run();
    const item = await outbox.getCapture(captureId);
    expect(item).toMatchObject({ state: 'failed', lastError: { code: 'IN_PROGRESS' } });
    clock.advance((item?.nextAttemptAt ?? 0) - clock.now());
    expect(await engine.run()).toMatchObject({ uploaded: 1 });
  });

  it('IN_PROGRESS is retried within seconds even after many failed attempts (a killed server’s claim lapses in 20 s)', async () => {
    const { outbox, server, engine, clock } = setupSync();
    const { captureId } = await saveNew(outbox, { size: 100, now: clock.now() });
    for (let i = 0; i < 6; i++) server.failNext('complete', rpcError('IN_PROGRESS'));
    for (let i = 0; i < 6; i++) {
      await engine.run();
      const item = await outbox.getCapture(captureId);
      expect(item).toMatchObject({ state: 'failed', attempts: i + 1 });
      const wait = (item?.nextAttemptAt ?? 0) - clock.now();
      // The default backoff would be up to 64 s by the sixth attempt; IN_PROGRESS stays within 5–10 s.
      expect(wait).toBeGreaterThanOrEqual(IN_PROGRESS_RETRY_MS / 2);
      expect(wait).toBeLessThan(IN_PROGRESS_RETRY_MS);
      clock.advance(wait);
    }
    expect(await engine.run()).toMatchObject({ uploaded: 1 });
  });

  it('429 with Retry-After → the run stops and the capture waits exactly that long', async () => {
    const { outbox, server, engine, clock } = setupSync({ sync: { fileConcurrency: 1 } });
    const { captureId } = await saveNew(outbox, { size: 100, now: clock.now() });
    await saveNew(outbox, { size: 100, now: clock.now() });
    server.failNext('begin', rpcError('RATE_LIMITED', 30_000));
    const start = clock.now();
    const result = await engine.run();
    expect(result).toMatchObject({ status: 'throttled', retryAt: start + 30_000 });
    expect(server.callsOf('begin')).toHaveLength(1);
    expect(await outbox.getCapture(captureId)).toMatchObject({
      state: 'failed',
      nextAttemptAt: start + 30_000,
    });
  });

  it('503 from storage with Retry-After → honoured for that capture', async () => {
    const { outbox, server, engine, clock } = setupSync();
    const { captureId } = await saveNew(outbox, { size: 100, now: clock.now() });
    server.failNext('put', new TransportError({ status: 503, retryAfterMs: 120_000 }));
    const start = clock.now();
    expect(await engine.run()).toMatchObject({ status: 'throttled' });
    expect(await outbox.getCapture(captureId)).toMatchObject({ nextAttemptAt: start + 120_000 });
    clock.advance(119_999);
    expect(await engine.run()).toMatchObject({ uploaded: 0 });
    clock.advance(1);
    expect(await engine.run()).toMatchObject({ uploaded: 1 });
  });

  it('a mismatch at complete re-uploads from the local copy, and the bytes stay until verified', async () => {
    const { outbox, server, engine, clock } = setupSync();
    const { captureId } = await saveNew(outbox, { size: 5000, now: clock.now() });
    server.inject((c) => (c.proc === 'put' ? { corrupt: 'stored' } : undefined));
    const states: string[] = [];
    engine.on('item-state', (e) => states.push(e.state));
    expect(await engine.run()).toMatchObject({ status: 'idle', uploaded: 1 });
    expect(states).toEqual(['uploading', 'verifying', 'queued', 'uploading', 'verifying', 'done']);
    expect([...server.sessions.values()].map((s) => s.state)).toEqual(['mismatch', 'completed']);
    expect(await outbox.getCapture(captureId)).toMatchObject({ state: 'done', mismatchCount: 1 });
  });

  it('a mismatch whose answer was lost still counts: the device asks the ended session for its verdict', async () => {
    for (const maxMismatches of [3, 0]) {
      const { outbox, server, makeEngine, clock } = setupSync({ sync: { maxMismatches } });
      const { captureId } = await saveNew(outbox, { size: 5000, now: clock.now() });
      server.inject((c) => (c.proc === 'put' ? { corrupt: 'stored' } : undefined));
      // The server gives its verdict on the first complete, and the network loses the answer.
      let lose = 1;
      const transport = Object.assign(Object.create(server) as typeof server, {
        complete: async (...args: Parameters<typeof server.complete>) => {
          const answer = await server.complete(...args);
          if (lose-- > 0) throw new TransportError({ status: null });
          return answer;
        },
      });
      const engine = makeEngine({ transport });
      expect(await engine.run()).toMatchObject({ status: 'offline', uploaded: 0 });
      expect(await outbox.getCapture(captureId)).toMatchObject({ mismatchCount: 0 });
      await engine.run();
      const [lost] = [...server.sessions.values()];
      // Asked again after begin opened a new session; a repeated complete only repeats the verdict.
      expect(server.callsOf('complete').filter((c) => c.sessionId === lost?.id)).toHaveLength(2);
      if (maxMismatches > 0) {
        expect(await outbox.getCapture(captureId)).toMatchObject({
          state: 'done',
          mismatchCount: 1,
        });
        expect(server.callsOf('put')).toHaveLength(2);
      } else {
        expect(await outbox.getCapture(captureId)).toMatchObject({
          state: 'needs-attention',
          mismatchCount: 1,
          lastError: { code: 'HASH_MISMATCH' },
        });
        expect(server.callsOf('put')).toHaveLength(1);
        expect((await outboxState(outbox)).blobs).toHaveLength(1);
      }
    }
  });

  it('bytes damaged in flight (storage refuses the digest) are re-sent; repeated damage ends in needs-attention', async () => {
    const { outbox, server, engine, clock } = setupSync({ sync: { maxMismatches: 2 } });
    const { captureId } = await saveNew(outbox, { size: 5000, now: clock.now() });
    server.inject((c) => (c.proc === 'put' ? { corrupt: 'in-flight' } : undefined), 10);
    await engine.run();
    expect(server.callsOf('put').map((c) => c.status)).toEqual([400, 400, 400]);
    expect(await outbox.getCapture(captureId)).toMatchObject({
      state: 'needs-attention',
      mismatchCount: 3,
      lastError: { code: 'HASH_MISMATCH' },
    });
    expect((await outboxState(outbox)).blobs).toHaveLength(1);
    expect(server.files.size).toBe(0);
  });

  it('re-signs URLs that expire too soon, and a part whose URL storage calls expired', async () => {
    const { outbox, server, engine, clock } = setupSync({
      server: { initialPartUrls: 3, urlTtlMs: 30_000 },
    });
    await saveNew(outbox, { size: 17 * MiB + 3, now: clock.now() });
    server.inject((c) =>
      c.proc === 'put' && c.partNumber === 2
        ? { error: new TransportError({ status: 403, storageCode: 'expired' }) }
        : undefined,
    );
    expect(await engine.run()).toMatchObject({ status: 'idle', uploaded: 1 });
    // Begin's URLs were within the 60 s margin: signed again in one batch, then part 2 once more after its 403.
    expect(server.callsOf('signParts')).toHaveLength(2);
    expect(
      server
        .storedPuts()
        .map((c) => c.partNumber)
        .sort(),
    ).toEqual([1, 2, 3]);
  });

  it('uploads a multipart capture from a device whose clock runs an hour fast (fresh URLs are used until storage refuses one)', async () => {
    let serverNow = (): number => 0;
    const { outbox, server, engine, clock } = setupSync({
      server: { urlTtlMs: 3_600_000, now: () => serverNow() },
    });
    serverNow = () => clock.now() - 3_600_000 - 5 * 60_000;
    const { captureId } = await saveNew(outbox, { size: 17 * MiB + 3, now: clock.now() });
    expect(await engine.run()).toMatchObject({ status: 'idle', uploaded: 1 });
    expect(await outbox.getCapture(captureId)).toMatchObject({ state: 'done' });
    expect(server.files.size).toBe(1);
    // Begin's URLs looked expired by the device's clock: signed once more, then used as they were.
    expect(server.callsOf('signParts')).toHaveLength(1);
  });

  it('after a mismatch, a local copy that no longer hashes right needs attention instead of a re-upload', async () => {
    const { outbox, server, clock, makeEngine } = setupSync();
    const { captureId } = await saveNew(outbox, { size: 5000, now: clock.now() });
    server.inject((c) => (c.proc === 'put' ? { corrupt: 'stored' } : undefined));
    const rehash = () => Promise.resolve({ sha256: 'f'.repeat(64) });
    await makeEngine({ rehash }).run();
    expect(server.callsOf('put')).toHaveLength(1);
    expect(await outbox.getCapture(captureId)).toMatchObject({
      state: 'needs-attention',
      lastError: { code: 'LOCAL_COPY_DAMAGED' },
    });
    expect((await outboxState(outbox)).blobs).toHaveLength(1);
  });

  it('a session the server forgot is started afresh', async () => {
    const { outbox, server, engine, clock } = setupSync();
    const { captureId } = await saveNew(outbox, { size: 100, now: clock.now() });
    server.failNext('complete', rpcError('NOT_FOUND'));
    await engine.run();
    await expectStartedAfresh({ outbox, server, engine, clock }, captureId);
  });

  it('storage lost the bytes before complete (CONFLICT, nothing uploaded) → the bytes go again by themselves, not parked', async () => {
    const { outbox, server, engine, clock } = setupSync();
    const { captureId } = await saveNew(outbox, { size: 100, now: clock.now() });
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    server.inject((c) => (c.proc === 'complete' ? { hold: held } : undefined));
    const running = engine.run();
    for (let i = 0; i < 200 && server.callsOf('complete').length === 0; i++)
      await new Promise((r) => setTimeout(r, 5));
    for (const session of server.sessions.values()) session.parts.clear();
    release();
    await running;
    await expectStartedAfresh({ outbox, server, engine, clock }, captureId);
  });

  it('a CONFLICT at complete for any other reason still asks for attention', async () => {
    const { outbox, server, engine, clock } = setupSync();
    const { captureId } = await saveNew(outbox, { size: 100, now: clock.now() });
    server.failNext('complete', rpcError('CONFLICT'));
    await engine.run();
    expect(await outbox.getCapture(captureId)).toMatchObject({
      state: 'needs-attention',
      lastError: { code: 'CONFLICT' },
    });
    expect((await outboxState(outbox)).blobs).toHaveLength(1);
  });
});
