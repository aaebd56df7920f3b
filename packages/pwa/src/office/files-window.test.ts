// Unit tests for the Files list's bounded window: pages kept around the viewport, eviction, re-fetch by cursor, live head.
import { describe, expect, it } from 'vitest';
import type { FileRecord, FilesPage } from '@fieldvault/shared/schemas';
import {
  appendPage,
  evictOutside,
  fillPage,
  leadingRows,
  locateRow,
  mergeWindowHead,
  pagesToFetch,
  pagesToKeep,
  rowAt,
  rowCount,
  windowOf,
  type FilesWindow,
} from './files-window';
import { file } from './office-test-data';

const ids = (items: FileRecord[] | null | undefined) => (items ?? []).map((f) => f.key);
/** Page `p` of a list of 3-row pages, newest first: rows 999-3p, 998-3p, 997-3p. */
const page = (p: number, last = false): FilesPage => ({
  items: [0, 1, 2].map((i) => file(999 - 3 * p - i)),
  nextCursor: last ? null : `after-${p}`,
});
/** A window of `n` 3-row pages, all loaded. */
function windowOfPages(n: number): FilesWindow {
  let w = windowOf(page(0, n === 1));
  for (let p = 1; p < n; p++) w = appendPage(w, page(p, p === n - 1));
  return w;
}

describe('pagesToKeep', () => {
  it('keeps page 0 and max - 1 pages around the one in view, a little more below', () => {
    expect([...pagesToKeep(200, 100, 10)].sort((a, b) => a - b)).toEqual([
      0, 96, 97, 98, 99, 100, 101, 102, 103, 104,
    ]);
  });

  it('shifts the window to stay inside the list at either end', () => {
    expect([...pagesToKeep(200, 1, 10)].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    expect([...pagesToKeep(200, 199, 10)].sort((a, b) => a - b)).toEqual([
      0, 191, 192, 193, 194, 195, 196, 197, 198, 199,
    ]);
    expect([...pagesToKeep(3, 2, 10)].sort((a, b) => a - b)).toEqual([0, 1, 2]);
  });

  it('never holds more than max pages however long the list', () => {
    for (const center of [0, 5, 50, 9_999])
      expect(pagesToKeep(10_000, center).size).toBeLessThanOrEqual(10);
  });
});

describe('window', () => {
  it('keeps every page cursor in order and counts rows across pages', () => {
    const w = windowOfPages(4);
    expect(w.pages.map((p) => p.cursor)).toEqual([null, 'after-0', 'after-1', 'after-2']);
    expect(w.nextCursor).toBeNull();
    expect(rowCount(w)).toBe(12);
    expect(locateRow(w, 7)).toEqual({ page: 2, offset: 1 });
    expect(locateRow(w, 12)).toBeNull();
    expect(rowAt(w, 7)?.key).toBe('k/992');
  });

  it('drops the rows of far pages but keeps their sizes, so positions and the height stay', () => {
    const w = evictOutside(windowOfPages(6), new Set([0, 4, 5]));
    expect(w.pages.map((p) => p.items === null)).toEqual([false, true, true, true, false, false]);
    expect(rowCount(w)).toBe(18);
    expect(rowAt(w, 4)).toBeUndefined(); // a placeholder until page 1 comes back
    expect(rowAt(w, 13)?.key).toBe('k/986');
    expect(leadingRows(w).map((f) => f.key)).toEqual(['k/999', 'k/998', 'k/997']);
  });

  it('returns the same window when nothing is to be dropped (no re-render)', () => {
    const w = windowOfPages(3);
    expect(evictOutside(w, new Set([0, 1, 2]))).toBe(w);
  });

  it('names the dropped pages it needs again with the cursor each was fetched by, and fills them', () => {
    let w = evictOutside(windowOfPages(6), new Set([0, 5]));
    const wanted = pagesToFetch(w, new Set([0, 1, 2]));
    expect(wanted).toEqual([
      { page: 1, cursor: 'after-0' },
      { page: 2, cursor: 'after-1' },
    ]);
    w = fillPage(w, { index: 1, cursor: 'after-0', page: page(1) });
    expect(ids(w.pages[1]?.items)).toEqual(['k/996', 'k/995', 'k/994']);
    expect(pagesToFetch(w, new Set([0, 1, 2]))).toEqual([{ page: 2, cursor: 'after-1' }]);
  });

  it('ignores a re-fetched page whose slot no longer has that cursor (the list changed meanwhile)', () => {
    const w = evictOutside(windowOfPages(3), new Set([0]));
    expect(fillPage(w, { index: 1, cursor: 'after-7', page: page(1) })).toBe(w);
  });

  it('a re-fetched page that came back shorter (files left) shifts the rows after it', () => {
    const w = evictOutside(windowOfPages(3), new Set([0, 2]));
    const short = { items: [file(996)], nextCursor: 'after-1' };
    const out = fillPage(w, { index: 1, cursor: 'after-0', page: short });
    expect(rowCount(out)).toBe(7);
    expect(rowAt(out, 4)?.key).toBe('k/993');
  });

  it('does not show a row twice when it moved across a page boundary', () => {
    const w = appendPage(windowOf(page(0)), { items: [file(997), file(996)], nextCursor: null });
    expect(ids(w.pages[1]?.items)).toEqual(['k/996']);
  });
});

describe('mergeWindowHead', () => {
  it('puts new files on top, keeps the old first page rows pushed past the head, and the later pages', () => {
    const w = evictOutside(windowOfPages(4), new Set([0, 3]));
    const head = { items: [file(1000), file(999), file(998)], nextCursor: 'after-998' };
    const out = mergeWindowHead(w, head);
    expect(ids(out.pages[0]?.items)).toEqual(['k/1000', 'k/999', 'k/998', 'k/997']);
    expect(out.pages.map((p) => p.cursor)).toEqual([null, 'after-0', 'after-1', 'after-2']);
    expect(out.pages[1]?.items).toBeNull();
    expect(rowCount(out)).toBe(13);
  });

  it('takes rows the head now holds out of the later pages', () => {
    const w = windowOfPages(2);
    // 998 was deleted, so the head reaches into what page 1 held.
    const head = { items: [file(999), file(997), file(996)], nextCursor: 'after-996' };
    const out = mergeWindowHead(w, head);
    expect(ids(out.pages[0]?.items)).toEqual(['k/999', 'k/997', 'k/996']);
    expect(ids(out.pages[1]?.items)).toEqual(['k/995', 'k/994']);
  });

  it('a head that is the whole list replaces the window', () => {
    const out = mergeWindowHead(windowOfPages(5), { items: [file(999)], nextCursor: null });
    expect(out.pages).toHaveLength(1);
    expect(rowCount(out)).toBe(1);
    expect(out.nextCursor).toBeNull();
  });
});
