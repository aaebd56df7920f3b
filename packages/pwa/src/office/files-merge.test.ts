// Unit tests for paging and live refresh arithmetic of the Files list.
import { describe, expect, it } from 'vitest';
import type { FileRecord } from '@fieldvault/shared/schemas';
import { appendPage, mergeHead } from './files-merge';
import { file } from './office-test-data';

const ids = (items: FileRecord[]) => items.map((f) => f.key);

describe('appendPage', () => {
  it('adds the next page without repeating rows', () => {
    const out = appendPage(
      { items: [file(9), file(8)], nextCursor: 'c1' },
      { items: [file(8), file(7)], nextCursor: null },
    );
    expect(ids(out.items)).toEqual(['k/9', 'k/8', 'k/7']);
    expect(out.nextCursor).toBeNull();
  });
});

describe('mergeHead', () => {
  it('puts new files on top and keeps rows scrolled to beyond the head, with their cursor', () => {
    const current = { items: [file(9), file(8), file(7), file(6)], nextCursor: 'after-6' };
    const out = mergeHead(current, { items: [file(10), file(9)], nextCursor: 'after-9' });
    expect(ids(out.items)).toEqual(['k/10', 'k/9', 'k/8', 'k/7', 'k/6']);
    expect(out.nextCursor).toBe('after-6');
  });

  it('updates changed rows and drops rows that left the filter within the head', () => {
    const current = { items: [file(9), file(8), file(7)], nextCursor: null };
    const out = mergeHead(current, {
      items: [file(9, 'mismatch'), file(7)],
      nextCursor: 'after-7',
    });
    expect(ids(out.items)).toEqual(['k/9', 'k/7']);
    expect(out.items[0]?.status).toBe('mismatch');
    expect(out.nextCursor).toBe('after-7');
  });

  it('takes the head alone when it is the whole list', () => {
    const current = { items: [file(9), file(8), file(7)], nextCursor: 'x' };
    expect(mergeHead(current, { items: [file(9)], nextCursor: null })).toEqual({
      items: [file(9)],
      nextCursor: null,
    });
  });
});
