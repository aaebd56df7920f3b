// A small, bounded cache of what the office user last saw (lists and file records), so it stays readable offline.
import { fileRecord, type FileRecord } from '@fieldvault/shared/schemas';
import { z } from 'zod';

/** How much is kept: the last few lists (first rows only) and recently opened files. */
export const CACHE_LIMITS = { lists: 5, rowsPerList: 200, files: 30 } as const;

const listEntry = z.object({ key: z.string(), savedAt: z.number(), items: z.array(fileRecord) });
const fileEntry = z.object({ savedAt: z.number(), file: fileRecord });
const cacheShape = z.object({ lists: z.array(listEntry), files: z.array(fileEntry) });
type CacheData = z.infer<typeof cacheShape>;

/** A list or file as cached, with when it was saved. */
export interface Cached<T> {
  value: T;
  savedAt: number;
}

const KEY_PREFIX = 'fieldvault-office-cache:';

/**
 * Removes the cached lists, files and last search of every user but `keepUserId` (all of them when null):
 * on sign-out, and when another user signs in on the same tab, so one org's rows never wait for the next user.
 */
export function forgetOfficeLists(storage: Storage, keepUserId: string | null): void {
  const keep = keepUserId === null ? null : `${KEY_PREFIX}${keepUserId}`;
  const doomed: string[] = [];
  for (let i = 0; i < storage.length; i++) {
    const key = storage.key(i);
    if (key?.startsWith(KEY_PREFIX) && key !== keep && key !== `${keep}:search`) doomed.push(key);
  }
  for (const key of doomed) storage.removeItem(key);
}

/**
 * Creates the cache over `storage` (sessionStorage in the app: it dies with the tab, so a shared computer
 * does not keep an org's receipts after the window closes) under one key per user, so a different user
 * signing in on the same tab never sees the previous user's rows.
 */
export function createOfficeCache(storage: Storage, userId: string) {
  const key = `${KEY_PREFIX}${userId}`;
  // Parsed once and kept: checking hundreds of records with zod on every save would block the page on each
  // live refresh. sessionStorage belongs to this tab alone, so no other writer can make the copy stale.
  let data: CacheData | null = null;
  const read = (): CacheData => {
    if (data !== null) return data;
    try {
      const parsed = cacheShape.safeParse(JSON.parse(storage.getItem(key) ?? 'null'));
      data = parsed.success ? parsed.data : { lists: [], files: [] };
    } catch {
      data = { lists: [], files: [] };
    }
    return data;
  };
  const write = (next: CacheData): void => {
    data = next;
    try {
      storage.setItem(key, JSON.stringify(next));
    } catch {
      // Quota exceeded or storage disabled: the cache is a convenience, the app works without it.
    }
  };
  return {
    /** Remembers the first rows of the list shown for `listKey` (most recent first, bounded). */
    saveList(listKey: string, items: FileRecord[], now = Date.now()): void {
      const current = read();
      const others = current.lists.filter((l) => l.key !== listKey);
      const entry = { key: listKey, savedAt: now, items: items.slice(0, CACHE_LIMITS.rowsPerList) };
      write({ ...current, lists: [entry, ...others].slice(0, CACHE_LIMITS.lists) });
    },
    loadList(listKey: string): Cached<FileRecord[]> | null {
      const entry = read().lists.find((l) => l.key === listKey);
      return entry ? { value: entry.items, savedAt: entry.savedAt } : null;
    },
    /** Remembers an opened file's record (most recent first, bounded). */
    saveFile(file: FileRecord, now = Date.now()): void {
      const current = read();
      const others = current.files.filter((f) => f.file.id !== file.id);
      write({
        ...current,
        files: [{ savedAt: now, file }, ...others].slice(0, CACHE_LIMITS.files),
      });
    },
    /** A file from an opened file or any cached list. */
    loadFile(id: string): Cached<FileRecord> | null {
      const current = read();
      const opened = current.files.find((f) => f.file.id === id);
      if (opened) return { value: opened.file, savedAt: opened.savedAt };
      for (const list of current.lists) {
        const row = list.items.find((f) => f.id === id);
        if (row) return { value: row, savedAt: list.savedAt };
      }
      return null;
    },
    /** Remembers the Files query string last applied, so "Back to files" returns to the same view. */
    saveLastSearch(search: string): void {
      try {
        storage.setItem(`${key}:search`, search);
      } catch {
        // see write()
      }
    },
    loadLastSearch(): string {
      const search = storage.getItem(`${key}:search`) ?? '';
      return search.startsWith('?') ? search : '';
    },
  };
}

/** The office cache (see {@link createOfficeCache}). */
export type OfficeCache = ReturnType<typeof createOfficeCache>;
