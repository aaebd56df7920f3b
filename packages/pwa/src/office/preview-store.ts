// Opened previews kept in IndexedDB so they stay readable offline across reloads: bounded by count and bytes (LRU), one owner.
import { wrap, type DBSchema, type IDBPDatabase } from 'idb';

/** Database name and version of the office preview cache (apart from the outbox: wiping it never touches captures). */
export const PREVIEW_DB_NAME = 'fieldvault-office-previews';
export const PREVIEW_DB_VERSION = 1;

/** How much is kept: a screenful of recently opened receipts, and never more bytes than a few large photos. */
export const PREVIEW_LIMITS = { count: 30, bytes: 50_000_000 } as const;

/** Whose previews these are; the store holds one owner's at a time. */
export interface PreviewOwner {
  userId: string;
  orgId: string;
}

/** One preview's bookkeeping, kept apart from its bytes so eviction walks small rows only. */
interface EntryRow {
  fileId: string;
  size: number;
  type: string;
  usedAt: number;
}

interface PreviewSchema extends DBSchema {
  entries: { key: string; value: EntryRow; indexes: { 'by-used': number } };
  bytes: { key: string; value: { fileId: string; data: ArrayBuffer } };
  owner: { key: string; value: { key: 'owner' } & PreviewOwner };
}

/** Options for {@link createPreviewStore}; tests pass a fresh `IDBFactory` and small limits. */
export interface PreviewStoreOptions {
  indexedDB?: IDBFactory;
  limits?: { count: number; bytes: number };
}

function open(factory: IDBFactory): Promise<IDBPDatabase<PreviewSchema>> {
  const request = factory.open(PREVIEW_DB_NAME, PREVIEW_DB_VERSION);
  request.onupgradeneeded = () => {
    const db = wrap(request.result) as IDBPDatabase<PreviewSchema>;
    db.createObjectStore('entries', { keyPath: 'fileId' }).createIndex('by-used', 'usedAt');
    db.createObjectStore('bytes', { keyPath: 'fileId' });
    db.createObjectStore('owner', { keyPath: 'key' });
  };
  return wrap(request) as unknown as Promise<IDBPDatabase<PreviewSchema>>;
}

/**
 * Creates the store: lazy connection, one function per operation. Bytes are stored as an ArrayBuffer with
 * the content type beside it (a Blob in IndexedDB is fine in Chromium, but not every engine clones it).
 */
export function createPreviewStore(options: PreviewStoreOptions = {}) {
  const limits = options.limits ?? PREVIEW_LIMITS;
  let db: Promise<IDBPDatabase<PreviewSchema>> | null = null;
  const getDb = () => {
    db ??= open(options.indexedDB ?? indexedDB);
    return db;
  };
  return {
    /**
     * Makes `owner` the store's owner. A different user (or the same user in another org) finds it emptied
     * first, in the same transaction, so no preview of another org is ever read back.
     */
    async claim(owner: PreviewOwner): Promise<void> {
      const tx = (await getDb()).transaction(['owner', 'entries', 'bytes'], 'readwrite');
      const current = await tx.objectStore('owner').get('owner');
      if (current?.userId !== owner.userId || current.orgId !== owner.orgId) {
        await Promise.all([
          tx.objectStore('entries').clear(),
          tx.objectStore('bytes').clear(),
          tx.objectStore('owner').put({ key: 'owner', ...owner }),
        ]);
      }
      await tx.done;
    },
    /** The preview of `fileId`, marked as just used; undefined when not kept. */
    async get(fileId: string, now = Date.now()): Promise<Blob | undefined> {
      const tx = (await getDb()).transaction(['entries', 'bytes'], 'readwrite');
      const [entry, bytes] = await Promise.all([
        tx.objectStore('entries').get(fileId),
        tx.objectStore('bytes').get(fileId),
      ]);
      if (entry && bytes) await tx.objectStore('entries').put({ ...entry, usedAt: now });
      await tx.done;
      return entry && bytes ? new Blob([bytes.data], { type: entry.type }) : undefined;
    },
    /** Keeps `blob` as `fileId`'s preview, then drops the least recently used beyond the limits. */
    async put(fileId: string, blob: Blob, now = Date.now()): Promise<boolean> {
      if (blob.size > limits.bytes) return false;
      // Read before the transaction opens: an unrelated await inside it would let it commit early.
      const data = await blob.arrayBuffer();
      const tx = (await getDb()).transaction(['entries', 'bytes'], 'readwrite');
      const entries = tx.objectStore('entries');
      await entries.put({ fileId, size: data.byteLength, type: blob.type, usedAt: now });
      await tx.objectStore('bytes').put({ fileId, data });
      let kept = { count: 0, bytes: 0 };
      let cursor = await entries.index('by-used').openCursor(null, 'prev');
      while (cursor) {
        const next = { count: kept.count + 1, bytes: kept.bytes + cursor.value.size };
        if (next.count > limits.count || next.bytes > limits.bytes) {
          await tx.objectStore('bytes').delete(cursor.value.fileId);
          await cursor.delete();
        } else kept = next;
        cursor = await cursor.continue();
      }
      await tx.done;
      return true;
    },
    /** What is kept, most recently used first (for tests and the e2e check of what IndexedDB holds). */
    async list(): Promise<EntryRow[]> {
      return (await (await getDb()).getAllFromIndex('entries', 'by-used')).reverse();
    },
    /** Forgets every preview and the owner (sign-out). */
    async clear(): Promise<void> {
      const tx = (await getDb()).transaction(['owner', 'entries', 'bytes'], 'readwrite');
      await Promise.all([
        tx.objectStore('owner').clear(),
        tx.objectStore('entries').clear(),
        tx.objectStore('bytes').clear(),
      ]);
      await tx.done;
    },
    async close(): Promise<void> {
      if (db) (await db).close();
      db = null;
    },
  };
}

/** The persistent preview store (see {@link createPreviewStore}). */
export type PreviewStore = ReturnType<typeof createPreviewStore>;
