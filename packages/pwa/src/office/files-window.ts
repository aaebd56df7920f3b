// Pure arithmetic of the Files list's bounded window: every page's cursor is kept, only pages near the viewport keep their rows.
import type { FileRecord, FilesPage, FilesSort } from '@fieldvault/shared/schemas';
import { mergeHead } from './files-merge';

/**
 * Pages whose rows are held at once: the first page (always — the live refresh folds into it and the
 * offline copy saves it) and the pages around the viewport. 10 pages of 50 rows is ~0.75 MB of records
 * however far the user scrolls; a cursor is a few dozen bytes, so all of them are kept.
 */
export const MAX_LOADED_PAGES = 10;

/**
 * One keyset page. `cursor` fetched it (null for the first page); `items` are its rows, null once dropped
 * for being far from the viewport; `size` is how many rows it had, kept when the rows are dropped so the
 * list keeps its height and the rows after it keep their positions.
 */
export interface PageSlot {
  cursor: string | null;
  items: FileRecord[] | null;
  size: number;
}

/** The list as pages, and the cursor of the page after the last one (null at the end). */
export interface FilesWindow {
  pages: PageSlot[];
  nextCursor: string | null;
}

/** A window holding just `page` as its first page. */
export function windowOf(page: FilesPage): FilesWindow {
  return {
    pages: [{ cursor: null, items: page.items, size: page.items.length }],
    nextCursor: page.nextCursor,
  };
}

/** Rows in the list, loaded or not (the virtualiser's count). */
export function rowCount(window: FilesWindow): number {
  return window.pages.reduce((n, p) => n + p.size, 0);
}

/** Where row `index` is: its page and its place in it (null past the end). */
export function locateRow(
  window: FilesWindow,
  index: number,
): { page: number; offset: number } | null {
  let start = 0;
  for (const [page, slot] of window.pages.entries()) {
    if (index < start + slot.size) return index < start ? null : { page, offset: index - start };
    start += slot.size;
  }
  return null;
}

/** Row `index`, or undefined while its page is not loaded (a placeholder is shown). */
export function rowAt(window: FilesWindow, index: number): FileRecord | undefined {
  const at = locateRow(window, index);
  return at === null ? undefined : window.pages[at.page]?.items?.[at.offset];
}

/** The loaded rows from the top, up to the first dropped page (what the offline copy saves). */
export function leadingRows(window: FilesWindow): FileRecord[] {
  const rows: FileRecord[] = [];
  for (const slot of window.pages) {
    if (slot.items === null) break;
    rows.push(...slot.items);
  }
  return rows;
}

/**
 * The pages to hold when page `center` is in view: page 0, and `max - 1` pages around `center` (a little
 * more below than above, since lists are read downwards), shifted to stay within the list.
 */
export function pagesToKeep(
  pageCount: number,
  center: number,
  max: number = MAX_LOADED_PAGES,
): Set<number> {
  const span = Math.max(1, max - 1);
  let first = Math.max(0, center - Math.floor((span - 1) / 2));
  const last = Math.min(pageCount - 1, first + span - 1);
  first = Math.max(0, last - span + 1);
  const keep = new Set<number>([0]);
  for (let p = first; p <= last; p++) keep.add(p);
  return keep;
}

/** Drops the rows of every page outside `keep` (their cursors and sizes stay). Same object when nothing changes. */
export function evictOutside(window: FilesWindow, keep: Set<number>): FilesWindow {
  if (window.pages.every((slot, p) => slot.items === null || keep.has(p))) return window;
  return {
    ...window,
    pages: window.pages.map((slot, p) =>
      slot.items === null || keep.has(p) ? slot : { ...slot, items: null },
    ),
  };
}

/** The pages in `keep` whose rows were dropped, with the cursor each is fetched again by. */
export function pagesToFetch(
  window: FilesWindow,
  keep: Set<number>,
): { page: number; cursor: string | null }[] {
  return [...keep]
    .sort((a, b) => a - b)
    .flatMap((page) => {
      const slot = window.pages[page];
      return slot && slot.items === null ? [{ page, cursor: slot.cursor }] : [];
    });
}

/** Ids held by the loaded neighbours of page `page` (a row moved across a page boundary is shown once). */
function neighbourIds(window: FilesWindow, page: number): Set<string> {
  const ids = new Set<string>();
  for (const p of [page - 1, page + 1]) for (const f of window.pages[p]?.items ?? []) ids.add(f.id);
  return ids;
}

/**
 * Adds the next page (fetched with `window.nextCursor`). A row already shown on the page before it (the list
 * changed between the two requests) is not shown twice.
 */
export function appendPage(window: FilesWindow, page: FilesPage): FilesWindow {
  const seen = new Set(window.pages.at(-1)?.items?.map((f) => f.id) ?? []);
  const items = page.items.filter((f) => !seen.has(f.id));
  return {
    pages: [...window.pages, { cursor: window.nextCursor, items, size: items.length }],
    nextCursor: page.nextCursor,
  };
}

/**
 * Puts back the rows of page `index`, fetched again by `cursor`. Ignored when that slot no longer has that
 * cursor (the list was refreshed or replaced meanwhile). The page may come back with more or fewer rows than
 * it had (files arrived or left since): its size follows, and the rows after it shift.
 */
export function fillPage(
  window: FilesWindow,
  fetched: { index: number; cursor: string | null; page: FilesPage },
): FilesWindow {
  const slot = window.pages[fetched.index];
  if (slot?.cursor !== fetched.cursor) return window;
  const seen = neighbourIds(window, fetched.index);
  const items = fetched.page.items.filter((f) => !seen.has(f.id));
  const pages = [...window.pages];
  pages[fetched.index] = { ...slot, items, size: items.length };
  return { ...window, pages };
}

/**
 * Folds a freshly fetched first page into the window (live refresh), as {@link mergeHead} does for the first
 * page: new files appear on top, changed ones update, ones that left go, and rows of the old first page that
 * now sort after the head stay with it, so the later pages' cursors still follow on. Rows the head now holds
 * leave the later pages. A head that is the whole list replaces it.
 */
export function mergeWindowHead(
  window: FilesWindow,
  head: FilesPage,
  sort: FilesSort = 'received',
): FilesWindow {
  const [first, ...rest] = window.pages;
  if (head.nextCursor === null || first?.items == null) return windowOf(head);
  const merged = mergeHead(
    { items: first.items, nextCursor: rest.length > 0 ? 'later-pages' : window.nextCursor },
    head,
    sort,
  );
  if (rest.length === 0) return windowOf({ items: merged.items, nextCursor: merged.nextCursor });
  const inHead = new Set(merged.items.map((f) => f.id));
  const later = rest.map((slot) => {
    if (slot.items === null || !slot.items.some((f) => inHead.has(f.id))) return slot;
    const items = slot.items.filter((f) => !inHead.has(f.id));
    return { ...slot, items, size: items.length };
  });
  return {
    pages: [{ cursor: null, items: merged.items, size: merged.items.length }, ...later],
    nextCursor: window.nextCursor,
  };
}
