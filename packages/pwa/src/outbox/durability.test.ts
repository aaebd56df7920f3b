// Which outbox writes are flushed to disk before they resolve: the user's only copies (picked files, a saved capture), not sync progress.
import { uuidv7 } from '@fieldvault/shared/ids';
import { describe, expect, it, vi } from 'vitest';
import { freshOutbox, newCapture, nodeVerify } from './testing';

/** Every read-write transaction `run` opens: its stores and the durability it asked for. */
async function readWriteTransactions(
  run: (outbox: ReturnType<typeof freshOutbox>['outbox']) => Promise<unknown>,
) {
  const { outbox } = freshOutbox();
  const db = await outbox.getDb();
  const spy = vi.spyOn(db, 'transaction');
  await run(outbox);
  const opened = spy.mock.calls
    .filter(([, mode]) => mode === 'readwrite')
    .map(([stores, , options]) => ({
      stores: ([stores].flat() as string[]).sort().join(','),
      durability: (options as IDBTransactionOptions | undefined)?.durability ?? 'default',
    }));
  spy.mockRestore();
  return opened;
}

describe('outbox durability', () => {
  it('picked files are flushed to disk before putDrafts resolves', async () => {
    const file = new Blob([new Uint8Array(8)], { type: 'image/jpeg' });
    const draft = {
      id: uuidv7(),
      file,
      filename: 'a.jpg',
      type: 'image/jpeg',
      size: 8,
      createdAt: 1,
    };
    expect(await readWriteTransactions((outbox) => outbox.putDrafts([draft]))).toEqual([
      { stores: 'drafts', durability: 'strict' },
    ]);
  });

  it('a saved capture is flushed before "Saved"; marking it uploading and done is not', async () => {
    const capture = newCapture(64);
    const opened = await readWriteTransactions(async (outbox) => {
      await outbox.saveCapture({ capture, now: 1, eventId: uuidv7(), verify: nodeVerify });
      await outbox.transitionCapture({ captureId: capture.captureId, to: 'uploading', now: 2 });
      await outbox.markCaptureDone({ captureId: capture.captureId, serverFileId: 'f-1', now: 3 });
    });
    const saveAt = opened.findIndex((t) => t.stores === 'blobs,captures,events,thumbnails');
    expect(opened[saveAt]).toEqual({
      stores: 'blobs,captures,events,thumbnails',
      durability: 'strict',
    });
    // Everything after the save only records sync progress; losing it to a power cut repeats idempotent steps.
    const progress = opened.slice(saveAt + 1);
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.every((t) => t.durability === 'default')).toBe(true);
  });
});
