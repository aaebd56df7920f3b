// Opened previews, so a file viewed once previews again offline (also after a reload) and without a new signed URL.
import { createLogger } from '../log/logger';
import type { PreviewOwner, PreviewStore } from './preview-store';

/** How many previews the page keeps in memory (receipt photos: a few MB each). */
export const PREVIEW_CACHE_LIMIT = 20;

const log = createLogger('office-previews');

/** Options for {@link createPreviewCache}. Without `persist` the cache lives in memory only (component tests). */
export interface PreviewCacheOptions {
  limit?: number;
  /** The IndexedDB store and whose previews it holds: previews then survive a reload. */
  persist?: { store: PreviewStore; owner: PreviewOwner };
}

function memoryLru(limit: number) {
  const blobs = new Map<string, Blob>();
  return {
    get(fileId: string): Blob | undefined {
      const blob = blobs.get(fileId);
      if (blob !== undefined) {
        blobs.delete(fileId);
        blobs.set(fileId, blob);
      }
      return blob;
    },
    set(fileId: string, blob: Blob): void {
      blobs.delete(fileId);
      blobs.set(fileId, blob);
      for (const oldest of blobs.keys()) {
        if (blobs.size <= limit) break;
        blobs.delete(oldest);
      }
    },
    clear: () => blobs.clear(),
  };
}

/**
 * Creates the cache: memory first (most recently used kept, the oldest dropped beyond `limit`), then the
 * persistent store. The store is claimed for the owner before anything is read or written, so after a user
 * switch the previous user's previews are gone before the new one can see them. A failing store (quota,
 * private mode) only costs the offline copy: the preview itself still shows.
 */
export function createPreviewCache(options: PreviewCacheOptions = {}) {
  const memory = memoryLru(options.limit ?? PREVIEW_CACHE_LIMIT);
  const persist = options.persist;
  const ready = persist
    ? persist.store.claim(persist.owner).then(
        () => persist.store,
        (error: unknown) => {
          log.warn('preview store unavailable; previews kept in memory only', error);
          return null;
        },
      )
    : Promise.resolve(null);
  return {
    async get(fileId: string): Promise<Blob | undefined> {
      const inMemory = memory.get(fileId);
      if (inMemory !== undefined) return inMemory;
      const store = await ready;
      const stored = await store?.get(fileId).catch(() => undefined);
      if (stored !== undefined) memory.set(fileId, stored);
      return stored;
    },
    async set(fileId: string, blob: Blob): Promise<void> {
      memory.set(fileId, blob);
      const store = await ready;
      await store?.put(fileId, blob).catch((error: unknown) => {
        log.warn('could not keep a preview for offline use', error);
      });
    },
    /** Forgets every preview, in memory and stored. */
    async clear(): Promise<void> {
      memory.clear();
      await (await ready)?.clear().catch((error: unknown) => {
        log.warn('could not forget the stored previews', error);
      });
    },
    /** Closes the store's connection (it reopens on next use). */
    async close(): Promise<void> {
      await (await ready)?.close();
    },
  };
}

/** The preview cache (see {@link createPreviewCache}). */
export type PreviewCache = ReturnType<typeof createPreviewCache>;
