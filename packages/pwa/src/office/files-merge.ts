// Pure list arithmetic for keyset pages of files: append a page, and fold a fresh first page into a longer list.
import type { FileRecord, FilesPage, FilesSort } from '@fieldvault/shared/schemas';

/** The rows shown and the cursor of the next page to fetch (null when there is none). */
export interface LoadedFiles {
  items: FileRecord[];
  nextCursor: string | null;
}

/** True when `a` comes after `b` in the list's order (newest received or captured first, then id descending). */
function sortsAfter(a: FileRecord, b: FileRecord, sort: FilesSort): boolean {
  const [ka, kb] =
    sort === 'captured' ? [a.capturedAt, b.capturedAt] : [a.receivedAt, b.receivedAt];
  if (ka !== kb) return Date.parse(ka) < Date.parse(kb);
  return a.id < b.id;
}

/** Adds the next page; a row already shown is not shown twice. */
export function appendPage(current: LoadedFiles, page: FilesPage): LoadedFiles {
  const seen = new Set(current.items.map((f) => f.id));
  return {
    items: [...current.items, ...page.items.filter((f) => !seen.has(f.id))],
    nextCursor: page.nextCursor,
  };
}

/**
 * Folds a freshly fetched first page into the list (live refresh). The head replaces every row it covers —
 * new files appear, changed ones update, ones that left the filter (deleted) go — and rows the user already
 * scrolled to beyond it stay, with their cursor, so a refresh never yanks the list back to one page.
 * `sort` is the order both were fetched in.
 */
export function mergeHead(
  current: LoadedFiles,
  head: FilesPage,
  sort: FilesSort = 'received',
): LoadedFiles {
  const last = head.items.at(-1);
  if (head.nextCursor === null || last === undefined) return { ...head };
  const inHead = new Set(head.items.map((f) => f.id));
  const tail = current.items.filter((f) => !inHead.has(f.id) && sortsAfter(f, last, sort));
  return tail.length === 0
    ? { ...head }
    : { items: [...head.items, ...tail], nextCursor: current.nextCursor };
}
