// Drafts: picked files stored on the input's change event (before hashing or the form), and capture thumbnails.
import { FLUSHED, type OutboxDb } from './db';
import { abortQuietly } from './save-capture';
import type { DraftRecord, ThumbnailData, ThumbnailRecord } from './schema';

/** Why picked files were not kept; none of them is stored. */
export class DraftSaveError extends Error {
  override readonly name = 'DraftSaveError';
  constructor(
    readonly reason: 'quota-exceeded' | 'write-failed',
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

function draftError(error: unknown): DraftSaveError {
  const quota = error instanceof DOMException && error.name === 'QuotaExceededError';
  return quota
    ? new DraftSaveError('quota-exceeded', 'This device is out of storage space.', {
        cause: error,
      })
    : new DraftSaveError('write-failed', 'The picked files could not be kept on this device.', {
        cause: error,
      });
}

/**
 * Stores picked files as drafts, all or none, in one transaction (the page may be killed at any moment
 * after this, so nothing else happens first). Throws {@link DraftSaveError}.
 */
export async function putDrafts(db: OutboxDb, drafts: readonly DraftRecord[]): Promise<void> {
  const tx = db.transaction('drafts', 'readwrite', FLUSHED);
  const writes = drafts.map((draft) => {
    try {
      return tx.store.add(draft);
    } catch (error) {
      // A write that throws at once (DataCloneError on some WebKit releases) must not let the others commit.
      abortQuietly(tx);
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
  });
  try {
    await Promise.all([...writes, tx.done]);
  } catch (error) {
    throw draftError(tx.error ?? error);
  }
}

/**
 * Drafts still waiting for the form, oldest first. A draft whose capture already exists was saved just
 * before a crash: it is deleted here rather than offered again (saving it twice would duplicate it).
 */
export async function listDrafts(db: OutboxDb): Promise<DraftRecord[]> {
  const tx = db.transaction(['drafts', 'captures'], 'readwrite');
  const drafts = await tx.objectStore('drafts').getAll();
  const saved = await Promise.all(drafts.map((d) => tx.objectStore('captures').getKey(d.id)));
  const stale = drafts.filter((_, i) => saved[i] !== undefined);
  await Promise.all([...stale.map((d) => tx.objectStore('drafts').delete(d.id)), tx.done]);
  return drafts.filter((_, i) => saved[i] === undefined).sort((a, b) => a.createdAt - b.createdAt);
}

/** Forgets a draft (saved as a capture, or removed by the user). */
export async function deleteDraft(db: OutboxDb, id: string): Promise<void> {
  await db.delete('drafts', id);
}

/** Attaches a thumbnail made after the draft was stored; a draft deleted meanwhile is left alone. */
export async function setDraftThumbnail(
  db: OutboxDb,
  change: { id: string; thumbnail: ThumbnailData },
): Promise<void> {
  const tx = db.transaction('drafts', 'readwrite');
  const current = await tx.store.get(change.id);
  await Promise.all([
    current ? tx.store.put({ ...current, thumbnail: change.thumbnail }) : undefined,
    tx.done,
  ]);
}

/** Every stored capture thumbnail (a few KiB each) for the Outbox list. */
export function listThumbnails(db: OutboxDb): Promise<ThumbnailRecord[]> {
  return db.getAll('thumbnails');
}
