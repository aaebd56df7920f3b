// Keeping picked files: stored before anything else, all or none, refused in words when the device is full.
import { uuidv7 } from '@fieldvault/shared/ids';
import { describe, expect, it, vi } from 'vitest';
import { DraftSaveError } from '../outbox/drafts';
import type { ThumbnailData } from '../outbox/schema';
import { freshOutbox } from '../outbox/testing';
import { addThumbnails, keepPickedFiles, type PickDeps } from './pick';

const file = (name: string, size = 10) =>
  new File([new Uint8Array(size)], name, { type: 'image/jpeg' });

function deps(outbox: ReturnType<typeof freshOutbox>['outbox'], over: Partial<PickDeps> = {}) {
  return {
    putDrafts: (d) => outbox.putDrafts(d),
    readUsage: () => Promise.resolve(null),
    newId: () => uuidv7(),
    now: () => 1_000,
    ...over,
  } satisfies PickDeps;
}

describe('keepPickedFiles', () => {
  it('stores every picked file as a draft with its name, type and size', async () => {
    const { outbox } = freshOutbox();
    const result = await keepPickedFiles(deps(outbox), [file('a.jpg'), file('b.jpg', 20)]);
    expect(result.ok).toBe(true);
    const drafts = await outbox.listDrafts();
    expect(drafts.map((d) => [d.filename, d.size, d.type])).toEqual([
      ['a.jpg', 10, 'image/jpeg'],
      ['b.jpg', 20, 'image/jpeg'],
    ]);
  });

  it('refuses files that do not fit the storage estimate, in words, storing none of them', async () => {
    const { outbox } = freshOutbox();
    const readUsage = () => Promise.resolve({ usage: 990, quota: 1_000 });
    const result = await keepPickedFiles(deps(outbox, { readUsage }), [
      file('a.jpg', 6),
      file('b.jpg', 6),
    ]);
    expect(result).toEqual({
      ok: false,
      message:
        'Not kept: these files need 12 bytes but only 10 bytes is free for FieldVault on this device. ' +
        'Upload or discard captures in the Outbox first.',
    });
    expect(await outbox.listDrafts()).toEqual([]);
  });

  it('turns a full disk during the write into a message, storing nothing', async () => {
    const { outbox } = freshOutbox();
    const putDrafts = () =>
      Promise.reject(new DraftSaveError('quota-exceeded', 'This device is out of storage space.'));
    const result = await keepPickedFiles(deps(outbox, { putDrafts }), [file('a.jpg')]);
    expect(result).toEqual({
      ok: false,
      message: 'Not kept: This device is out of storage space.',
    });
    expect(await outbox.listDrafts()).toEqual([]);
  });
});

describe('addThumbnails', () => {
  const thumb: ThumbnailData = {
    type: 'image/jpeg',
    bytes: new ArrayBuffer(4),
    width: 2,
    height: 2,
  };

  it('stores a thumbnail per image and skips files that give none or fail', async () => {
    const { outbox } = freshOutbox();
    const kept = await keepPickedFiles(deps(outbox), [file('a.jpg'), file('b.pdf'), file('c.jpg')]);
    if (!kept.ok) throw new Error(kept.message);
    const make = vi.fn((f: Blob) => {
      const name = (f as File).name;
      if (name === 'b.pdf') return Promise.resolve(null);
      if (name === 'c.jpg') return Promise.reject(new Error('cannot decode'));
      return Promise.resolve(thumb);
    });
    const ready = vi.fn();
    await addThumbnails({ make, store: (c) => outbox.setDraftThumbnail(c) }, kept.drafts, ready);
    expect(ready).toHaveBeenCalledOnce();
    const drafts = await outbox.listDrafts();
    expect(drafts.map((d) => d.thumbnail?.width ?? null)).toEqual([2, null, null]);
  });
});
