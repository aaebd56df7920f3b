// Outbox writes against fake-indexeddb: atomic verified save and the capture state machine (done frees the bytes).
import { describe, expect, it } from 'vitest';
import { uuidv7 } from '@fieldvault/shared/ids';
import { CaptureSaveError, saveCapture } from './save-capture';
import { freshOutbox, newCapture, nodeVerify, outboxState as dump, saveNew } from './testing';
import { InvalidTransitionError } from './transitions';

describe('saveCapture', () => {
  it('stores metadata, bytes and one CAPTURED event, and reads the bytes back identical', async () => {
    const { outbox } = freshOutbox();
    const capture = newCapture(3000);
    const saved = await outbox.saveCapture({
      capture,
      now: 5,
      eventId: uuidv7(),
      verify: nodeVerify,
    });
    const { captures, blobs, events } = await dump(outbox);
    expect(captures).toEqual([saved]);
    expect(saved).toMatchObject({
      state: 'queued',
      attempts: 0,
      nextAttemptAt: 5,
      size: 3000,
      blobKey: capture.captureId,
    });
    expect(blobs).toHaveLength(1);
    expect((await nodeVerify(blobs[0]?.blob ?? new Blob())).sha256).toBe(capture.hashes.sha256);
    expect(events).toMatchObject([
      { kind: 'captured', captureId: capture.captureId, pushed: 0, sha256: capture.hashes.sha256 },
    ]);
  });

  it('leaves nothing when the transaction fails midway (bytes and event written, capture refused)', async () => {
    const { outbox } = freshOutbox();
    const capture = newCapture();
    const db = await outbox.getDb();
    // A stray record under the same id makes the last write of the transaction fail.
    const stray = { ...(await saveNew(outbox)), captureId: capture.captureId, blobKey: null };
    await db.put('captures', stray);
    const before = await dump(outbox);
    const saving = outbox.saveCapture({ capture, now: 1, eventId: uuidv7(), verify: nodeVerify });
    await expect(saving).rejects.toMatchObject({
      name: 'CaptureSaveError',
      reason: 'write-failed',
    });
    expect(await dump(outbox)).toEqual(before);
  });

  it('removes everything when the bytes read back differ, and says so', async () => {
    const { outbox } = freshOutbox();
    const capture = newCapture();
    const verify = () => Promise.resolve({ sha256: '0'.repeat(64) });
    const saving = outbox.saveCapture({ capture, now: 1, eventId: uuidv7(), verify });
    await expect(saving).rejects.toBeInstanceOf(CaptureSaveError);
    await expect(saving).rejects.toMatchObject({ reason: 'verify-failed' });
    expect(await dump(outbox)).toEqual({ captures: [], blobs: [], uploads: [], events: [] });
  });

  it('reports a full disk as quota-exceeded (the transaction aborts, nothing is kept)', async () => {
    const { outbox } = freshOutbox();
    const db = await outbox.getDb();
    const quota = new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    // fake-indexeddb has no quota: fail the bytes' write the way a full disk does (the request fails with
    // AbortError, the transaction aborts with QuotaExceededError as its error).
    const full = new Proxy(db, {
      get(target, key, receiver) {
        if (key !== 'transaction') return Reflect.get(target, key, receiver) as unknown;
        return (...args: Parameters<typeof db.transaction>) => {
          const tx = target.transaction(...args);
          const blobs = tx.objectStore('blobs');
          blobs.add = () => {
            tx.abort();
            return Promise.reject(new DOMException('aborted', 'AbortError'));
          };
          return new Proxy(tx, {
            get: (t, k) =>
              k === 'error'
                ? quota
                : k === 'objectStore'
                  ? (n: string) => (n === 'blobs' ? blobs : t.objectStore(n as 'events'))
                  : (Reflect.get(t, k) as unknown),
          });
        };
      },
    });
    const saving = saveCapture(full, {
      capture: newCapture(),
      now: 1,
      eventId: uuidv7(),
      verify: nodeVerify,
    });
    await expect(saving).rejects.toMatchObject({
      name: 'CaptureSaveError',
      reason: 'quota-exceeded',
    });
    expect(await dump(outbox)).toEqual({ captures: [], blobs: [], uploads: [], events: [] });
  });

  it('treats a throwing verifier as a failed verification', async () => {
    const { outbox } = freshOutbox();
    const verify = () => Promise.reject(new Error('worker died'));
    const saving = outbox.saveCapture({ capture: newCapture(), now: 1, eventId: uuidv7(), verify });
    await expect(saving).rejects.toMatchObject({ reason: 'verify-failed' });
    expect((await dump(outbox)).captures).toEqual([]);
  });
});

describe('state machine', () => {
  it('walks queued → uploading → verifying → done, deleting bytes and session only at done', async () => {
    const { outbox } = freshOutbox();
    const { captureId } = await saveNew(outbox);
    await outbox.transitionCapture({ captureId, to: 'uploading', now: 2 });
    await outbox.putUpload({
      captureId,
      sessionId: uuidv7(),
      kind: 'single',
      partSize: 2048,
      partCount: 1,
      doneParts: [],
      urls: [],
      createdAt: 2,
      updatedAt: 2,
    });
    await outbox.transitionCapture({ captureId, to: 'verifying', now: 3 });
    expect((await dump(outbox)).blobs).toHaveLength(1);
    const done = await outbox.markCaptureDone({ captureId, serverFileId: 'f-1', now: 4 });
    const after = await dump(outbox);
    expect(done).toMatchObject({ state: 'done', serverFileId: 'f-1', blobKey: null });
    expect(after.captures).toEqual([done]);
    expect(after.blobs).toEqual([]);
    expect(after.uploads).toEqual([]);
  });

  it('refuses moves the state machine does not allow', async () => {
    const { outbox } = freshOutbox();
    const { captureId } = await saveNew(outbox);
    await expect(
      outbox.markCaptureDone({ captureId, serverFileId: 'f', now: 2 }),
    ).rejects.toBeInstanceOf(InvalidTransitionError);
    await expect(
      outbox.transitionCapture({ captureId, to: 'verifying', now: 2 }),
    ).rejects.toBeInstanceOf(InvalidTransitionError);
    expect((await outbox.getCapture(captureId))?.state).toBe('queued');
    await expect(
      outbox.transitionCapture({ captureId: uuidv7(), to: 'uploading', now: 2 }),
    ).rejects.toMatchObject({ name: 'CaptureNotFoundError' });
  });

  it('records a failure with its reason and keeps the bytes', async () => {
    const { outbox } = freshOutbox();
    const { captureId } = await saveNew(outbox);
    await outbox.transitionCapture({ captureId, to: 'uploading', now: 2 });
    const failed = await outbox.recordFailure({
      captureId,
      to: 'needs-attention',
      now: 3,
      error: { code: 'TOO_LARGE', message: 'too big' },
    });
    expect(failed).toMatchObject({ state: 'needs-attention', lastError: { code: 'TOO_LARGE' } });
    expect(await outbox.listDue(1e9)).toEqual([]);
    const retried = await outbox.retryCapture({ captureId, now: 10 });
    expect(retried).toMatchObject({
      state: 'queued',
      attempts: 0,
      lastError: null,
      nextAttemptAt: 10,
    });
    expect((await dump(outbox)).blobs).toHaveLength(1);
  });
});
