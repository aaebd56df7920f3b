// Reads the PWA's outbox database with raw IndexedDB in the page (no app code involved), for specs and the Chromium soak.
import type { Page } from '@playwright/test';

/** A Blob in a stored record as it crosses to Node: its size, and its SHA-256 hex when asked for. */
export interface BlobDigest {
  size: number;
  sha256: string | null;
}

/**
 * Every record of each store in `stores` of the outbox database of `page`'s origin. Blob fields (which
 * cannot cross to Node) come back as {@link BlobDigest}s, hashed in the page when `hashBlobs` is set. Typed
 * by the caller: `R` maps each store name to the shape its records have here.
 */
export async function readOutboxStores<R extends Record<string, unknown>>(
  page: Page,
  stores: (keyof R & string)[],
  opts: { hashBlobs?: boolean } = {},
): Promise<{ [S in keyof R]: R[S][] }> {
  const rows = await page.evaluate(
    async ({ stores, hashBlobs }) => {
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const open = indexedDB.open('fieldvault-outbox');
        open.onerror = () => reject(new Error(String(open.error)));
        open.onsuccess = () => resolve(open.result);
      });
      const all = (store: string) =>
        new Promise<Record<string, unknown>[]>((resolve, reject) => {
          const req = db.transaction(store).objectStore(store).getAll();
          req.onerror = () => reject(new Error(String(req.error)));
          req.onsuccess = () => resolve(req.result as Record<string, unknown>[]);
        });
      const read = await Promise.all(stores.map(all));
      db.close();
      const hex = (buf: ArrayBuffer) =>
        [...new Uint8Array(buf)].map((b) => b.toString(16).padStart(2, '0')).join('');
      const digest = async (blob: Blob) => ({
        size: blob.size,
        sha256: hashBlobs
          ? hex(await crypto.subtle.digest('SHA-256', await blob.arrayBuffer()))
          : null,
      });
      const plain = async (row: Record<string, unknown>): Promise<Record<string, unknown>> =>
        Object.fromEntries(
          await Promise.all(
            Object.entries(row).map(async ([k, v]): Promise<[string, unknown]> => [
              k,
              v instanceof Blob ? await digest(v) : v,
            ]),
          ),
        );
      return Promise.all(read.map((records) => Promise.all(records.map(plain))));
    },
    { stores, hashBlobs: opts.hashBlobs ?? false },
  );
  return Object.fromEntries(stores.map((s, i) => [s, rows[i] ?? []])) as {
    [S in keyof R]: R[S][];
  };
}
