// A small in-memory cache of preview bytes, so a file viewed once previews again offline and without a new signed URL.

/** How many previews are kept (receipt photos: a few MB each). */
export const PREVIEW_CACHE_LIMIT = 20;

/**
 * Creates the cache: most recently used last, the oldest dropped beyond `limit`. Kept in memory only (one per
 * page): it holds an organisation's receipts, so it must not outlive the tab or survive signing out.
 */
export function createPreviewCache(limit = PREVIEW_CACHE_LIMIT) {
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
  };
}

/** The preview cache (see {@link createPreviewCache}). */
export type PreviewCache = ReturnType<typeof createPreviewCache>;
