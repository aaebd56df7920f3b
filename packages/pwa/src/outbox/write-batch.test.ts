// Group commit of outbox writes: shared transactions, same-capture writes in order, one refusal or failure touching no other write.
import { describe, expect, it, vi } from 'vitest';
import { uuidv7 } from '@fieldvault/shared/ids';
import { CaptureNotFoundError } from './captures';
import { createOutbox } from './outbox';
import { freshOutbox, outboxState, saveNew } from './testing';
import { InvalidTransitionError } from './transitions';

const session = (captureId: string) => ({
  captureId,
  sessionId: `s-${captureId}`,
  kind: 'multipart' as const,
  partSize: 8,
  partCount: 3,
  doneParts: [],
  urls: [],
  createdAt: 1,
  updatedAt: 1,
});

const attempt = (captureId: string, now = 10) => ({
  captureId,
  now,
  event: { id: uuidv7(), kind: 'sync_attempt' as const, captureId, deviceLabel: 'phone', now },
});

/** Counts the read-write transactions the outbox opens from now on. */
async function countWriteTransactions(outbox: ReturnType<typeof freshOutbox>['outbox']) {
  const db = await outbox.getDb();
  const spy = vi.spyOn(db, 'transaction');
  return () => spy.mock.calls.filter((args) => args[1] === 'readwrite').length;
}

describe('group-committed outbox writes', () => {
  it('writes asked for together share one transaction, and each is committed when its promise resolves', async () => {
    const { outbox, factory } = freshOutbox();
    const captures = await Promise.all([1, 2, 3].map(() => saveNew(outbox)));
    const writes = await countWriteTransactions(outbox);
    await Promise.all(captures.map((c) => outbox.startAttempt(attempt(c.captureId))));
    expect(writes()).toBe(1);
    // Another connection (another tab, or the app after a reload) sees every write.
    const other = createOutbox({ factory });
    const state = await outboxState(other);
    expect(state.captures.map((c) => c.state)).toEqual(['uploading', 'uploading', 'uploading']);
    expect(state.events.filter((e) => e.kind === 'sync_attempt')).toHaveLength(3);
  });

  it('runs writes of one capture in order inside the shared transaction, losing none', async () => {
    const { outbox } = freshOutbox();
    const { captureId } = await saveNew(outbox);
    await outbox.putUpload(session(captureId));
    const parts = [3, 1, 2].map((n) =>
      outbox.recordDonePart({ captureId, part: { partNumber: n, etag: `e${n}` }, now: 20 + n }),
    );
    await Promise.all(parts);
    expect((await outbox.getUpload(captureId))?.doneParts.map((p) => p.partNumber)).toEqual([
      1, 2, 3,
    ]);
  });

  it('a refused write fails alone: the others in its transaction are kept', async () => {
    const { outbox } = freshOutbox();
    const [a, b] = [await saveNew(outbox), await saveNew(outbox)];
    const results = await Promise.allSettled([
      outbox.startAttempt(attempt(a.captureId)),
      outbox.markCaptureDone({ captureId: b.captureId, serverFileId: 'f', now: 10 }),
      outbox.transitionCapture({ captureId: 'gone', to: 'uploading', now: 10 }),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'rejected']);
    expect((results[1] as PromiseRejectedResult).reason).toBeInstanceOf(InvalidTransitionError);
    expect((results[2] as PromiseRejectedResult).reason).toBeInstanceOf(CaptureNotFoundError);
    const state = await outboxState(outbox);
    expect(state.captures.find((c) => c.captureId === a.captureId)?.state).toBe('uploading');
    // The refused capture is untouched: still queued, bytes kept.
    expect(state.captures.find((c) => c.captureId === b.captureId)).toMatchObject({
      state: 'queued',
      blobKey: b.captureId,
    });
    expect(state.blobs).toHaveLength(2);
  });

  it('a write whose request fails aborts the shared transaction, yet only that write is lost', async () => {
    const { outbox } = freshOutbox();
    const [a, b] = [await saveNew(outbox), await saveNew(outbox)];
    const taken = attempt(a.captureId);
    await outbox.addDeviceEvent(taken.event);
    // The same event id again: its `add` fails (ConstraintError), which aborts the whole transaction.
    const results = await Promise.allSettled([
      outbox.startAttempt({
        ...attempt(b.captureId),
        event: { ...taken.event, captureId: b.captureId },
      }),
      outbox.startAttempt(attempt(a.captureId)),
    ]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'fulfilled']);
    const state = await outboxState(outbox);
    const stateOf = (id: string) => state.captures.find((c) => c.captureId === id)?.state;
    // Both or neither of an attempt's writes: b kept neither, a both.
    expect([stateOf(a.captureId), stateOf(b.captureId)]).toEqual(['uploading', 'queued']);
    expect(state.events.filter((e) => e.kind === 'sync_attempt')).toHaveLength(2);
  });

  it('writes asked for while a transaction commits go together in the next one', async () => {
    const { outbox } = freshOutbox();
    const captures = await Promise.all([1, 2, 3, 4].map(() => saveNew(outbox)));
    const writes = await countWriteTransactions(outbox);
    const first = outbox.startAttempt(attempt(captures[0]?.captureId ?? ''));
    // Asked for after the first transaction started (a later tick), before it committed.
    await new Promise((resolve) => setTimeout(resolve, 0));
    const rest = captures.slice(1).map((c) => outbox.startAttempt(attempt(c.captureId)));
    await Promise.all([first, ...rest]);
    expect(writes()).toBe(2);
  });

  it('marking a capture done (it deletes the bytes) waits until no other write is queued', async () => {
    const { outbox } = freshOutbox();
    const [a, b, c] = [await saveNew(outbox), await saveNew(outbox), await saveNew(outbox)];
    await outbox.transitionCapture({ captureId: b.captureId, to: 'uploading', now: 5 });
    const order: string[] = [];
    const done = outbox
      .markCaptureDone({ captureId: b.captureId, serverFileId: 'f', now: 10 })
      .then(() => order.push('done'));
    const attempts = [a, c].map((x) =>
      outbox.startAttempt(attempt(x.captureId)).then(() => order.push(x.captureId)),
    );
    await Promise.all([done, ...attempts]);
    expect(order).toEqual([a.captureId, c.captureId, 'done']);
    expect((await outboxState(outbox)).blobs).toHaveLength(2);
  });
});
