// Picked files are kept as drafts first thing on the input's change event, then get thumbnails; both steps tested in Node.
import { formatBytes, hasRoomFor, type StorageUsage } from '../device/storage';
import { DraftSaveError } from '../outbox/drafts';
import type { DraftRecord, ThumbnailData } from '../outbox/schema';

/** What keeping picked files needs (the outbox, the storage estimate, ids and time). */
export interface PickDeps {
  putDrafts: (drafts: DraftRecord[]) => Promise<void>;
  readUsage: () => Promise<StorageUsage | null>;
  newId: () => string;
  now: () => number;
}

/** The drafts now stored, or why none of the files was kept. */
export type PickResult = { ok: true; drafts: DraftRecord[] } | { ok: false; message: string };

function noRoom(total: number, usage: StorageUsage): string {
  const free = Math.max(0, usage.quota - usage.usage);
  return (
    `Not kept: these files need ${formatBytes(total)} but only ${formatBytes(free)} is free for ` +
    'FieldVault on this device. Upload or discard captures in the Outbox first.'
  );
}

/**
 * Stores picked files as drafts before anything else (Android may kill the browser while the camera app
 * is open; what is not in IndexedDB by then is lost). All files or none: a refusal stores nothing.
 */
export async function keepPickedFiles(deps: PickDeps, files: readonly File[]): Promise<PickResult> {
  if (files.length === 0) return { ok: true, drafts: [] };
  const total = files.reduce((sum, f) => sum + f.size, 0);
  const usage = await deps.readUsage();
  if (!hasRoomFor(usage, total) && usage) return { ok: false, message: noRoom(total, usage) };
  const now = deps.now();
  const drafts: DraftRecord[] = files.map((file, i) => ({
    id: deps.newId(),
    file,
    filename: file.name,
    type: file.type,
    size: file.size,
    createdAt: now + i,
  }));
  try {
    await deps.putDrafts(drafts);
    return { ok: true, drafts };
  } catch (error) {
    const message =
      error instanceof DraftSaveError ? error.message : 'The picked files could not be kept.';
    return { ok: false, message: `Not kept: ${message}` };
  }
}

/** What adding thumbnails needs. */
export interface ThumbnailDeps {
  make: (file: Blob) => Promise<ThumbnailData | null>;
  store: (change: { id: string; thumbnail: ThumbnailData }) => Promise<void>;
}

/**
 * Makes and stores a thumbnail per draft, one at a time (decoding several photos at once would spike
 * memory on phones). A failure only means that draft shows an icon; it never reaches the caller.
 */
export async function addThumbnails(
  deps: ThumbnailDeps,
  drafts: readonly DraftRecord[],
  onReady: (id: string, thumbnail: ThumbnailData) => void,
): Promise<void> {
  for (const draft of drafts) {
    try {
      const thumbnail = await deps.make(draft.file);
      if (!thumbnail) continue;
      onReady(draft.id, thumbnail);
      await deps.store({ id: draft.id, thumbnail });
    } catch {
      // The capture is safe without a thumbnail.
    }
  }
}
