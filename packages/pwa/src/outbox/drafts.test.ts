// Drafts (files kept on pick) and thumbnails: all-or-nothing writes, crash leftovers dropped, thumbnails follow their capture.
import { uuidv7 } from '@fieldvault/shared/ids';
import { describe, expect, it, vi } from 'vitest';
import type { DraftRecord, ThumbnailData } from './schema';
import { freshOutbox, newCapture, nodeVerify, outboxState } from './testing';

function draft(n: number, overrides: Partial<DraftRecord> = {}): DraftRecord {
  return {
    id: uuidv7(),
    file: new Blob([new Uint8Array(n + 1)], { type: 'image/jpeg' }),
    filename: `IMG_${n}.jpg`,
    type: 'image/jpeg',
    size: n + 1,
    createdAt: n,
    ...overrides,
  };
}

const THUMB: ThumbnailData = {
  type: 'image/jpeg',
  bytes: new Uint8Array([0xff, 0xd8, 1, 2, 0xff, 0xd9]).buffer,
  width: 3,
  height: 2,
};

describe('drafts', () => {
  it('keeps picked files across a restart, oldest first, with a thumbnail added later', async () => {
    const { outbox, factory } = freshOutbox();
    const [a, b] = [draft(2), draft(1)];
    await outbox.putDrafts([a, b]);
    await outbox.setDraftThumbnail({ id: a.id, thumbnail: THUMB });
    outbox.close();
    const { createOutbox } = await import('./outbox');
    const reopened = createOutbox({ factory });
    const drafts = await reopened.listDrafts();
    expect(drafts.map((d) => d.filename)).toEqual(['IMG_1.jpg', 'IMG_2.jpg']);
    expect(drafts[1]?.thumbnail?.width).toBe(3);
    expect(await drafts[0]?.file.arrayBuffer()).toEqual(await b.file.arrayBuffer());
  });

  it('stores none of the picked files when one cannot be stored', async () => {
    const { outbox } = freshOutbox();
    // A function cannot be cloned into IndexedDB: the second write throws DataCloneError at once.
    const bad = draft(2, { file: (() => undefined) as unknown as Blob });
    await expect(outbox.putDrafts([draft(1), bad, draft(3)])).rejects.toMatchObject({
      name: 'DraftSaveError',
      reason: 'write-failed',
    });
    expect(await outbox.listDrafts()).toEqual([]);
  });

  it('reports a full disk as quota-exceeded and stores nothing', async () => {
    const { outbox } = freshOutbox();
    const db = await outbox.getDb();
    const store = db.transaction('drafts').store;
    const proto = Object.getPrototypeOf(store) as { add: (...args: unknown[]) => unknown };
    const realAdd = proto.add;
    let calls = 0;
    vi.spyOn(proto, 'add').mockImplementation(function (this: unknown, ...args: unknown[]) {
      if (++calls === 2)
        throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      return realAdd.apply(this, args);
    });
    await expect(outbox.putDrafts([draft(1), draft(2)])).rejects.toMatchObject({
      reason: 'quota-exceeded',
    });
    vi.restoreAllMocks();
    expect(await outbox.listDrafts()).toEqual([]);
  });

  it('drops a draft whose capture was saved just before a crash instead of offering it again', async () => {
    const { outbox } = freshOutbox();
    const capture = newCapture();
    const leftover = draft(1, { id: capture.captureId });
    const pending = draft(2);
    await outbox.putDrafts([leftover, pending]);
    await outbox.saveCapture({ capture, now: 1, eventId: uuidv7(), verify: nodeVerify });
    expect((await outbox.listDrafts()).map((d) => d.id)).toEqual([pending.id]);
    const db = await outbox.getDb();
    expect(await db.getAllKeys('drafts')).toEqual([pending.id]);
  });
});

describe('thumbnails', () => {
  it('are stored with the capture, kept after upload, and deleted on discard', async () => {
    const { outbox } = freshOutbox();
    const kept = newCapture(100, { thumbnail: THUMB });
    const dropped = newCapture(200, { thumbnail: THUMB });
    for (const capture of [kept, dropped])
      await outbox.saveCapture({ capture, now: 1, eventId: uuidv7(), verify: nodeVerify });
    expect((await outbox.listThumbnails()).map((t) => t.captureId).sort()).toEqual(
      [kept.captureId, dropped.captureId].sort(),
    );
    await outbox.transitionCapture({ captureId: kept.captureId, to: 'uploading', now: 2 });
    await outbox.markCaptureDone({ captureId: kept.captureId, serverFileId: 'f-1', now: 3 });
    await outbox.discardCapture({
      captureId: dropped.captureId,
      eventId: uuidv7(),
      deviceLabel: 'test',
      now: 4,
    });
    const thumbs = await outbox.listThumbnails();
    expect(thumbs.map((t) => t.captureId)).toEqual([kept.captureId]);
    expect(new Uint8Array(thumbs[0]?.bytes ?? new ArrayBuffer(0))).toEqual(
      new Uint8Array(THUMB.bytes),
    );
  });

  it('a capture whose bytes cannot be stored leaves no thumbnail, record or event behind', async () => {
    const { outbox } = freshOutbox();
    const capture = newCapture(100, {
      thumbnail: THUMB,
      blob: (() => undefined) as unknown as Blob,
    });
    const saving = outbox.saveCapture({ capture, now: 1, eventId: uuidv7(), verify: nodeVerify });
    await expect(saving).rejects.toMatchObject({ name: 'CaptureSaveError' });
    expect(await outboxState(outbox)).toEqual({ captures: [], blobs: [], uploads: [], events: [] });
    expect(await outbox.listThumbnails()).toEqual([]);
  });
});
