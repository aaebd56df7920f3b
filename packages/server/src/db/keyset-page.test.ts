// keysetPage: the extra row decides whether a next cursor exists; it is never returned as an item.
import { describe, expect, it } from 'vitest';
import { keysetPage } from './keyset-page.js';

const map = { toItem: (n: number) => `item${n}`, cursorOf: (n: number) => `after${n}` };

describe('keysetPage', () => {
  it('returns limit items and the cursor of the last one when an extra row was fetched', () => {
    expect(keysetPage([1, 2, 3], 2, map)).toEqual({
      items: ['item1', 'item2'],
      nextCursor: 'after2',
    });
  });

  it('returns no cursor on the last page, full or short', () => {
    expect(keysetPage([1, 2], 2, map)).toEqual({ items: ['item1', 'item2'], nextCursor: null });
    expect(keysetPage([1], 2, map)).toEqual({ items: ['item1'], nextCursor: null });
    expect(keysetPage([], 2, map)).toEqual({ items: [], nextCursor: null });
  });
});
