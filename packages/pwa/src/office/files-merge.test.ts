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

  it('keeps the rows beyond the head by the order the list was fetched in (captured)', () => {
    // Captured the other way round to received: file(1) was captured last.
    const captured = (minute: number, day: number) => ({
      ...file(minute),
      capturedAt: `2026-11-${String(day).padStart(2, '0')}T08:00:00.000Z`,
    });
    const current = { items: [captured(1, 20), captured(2, 19), captured(3, 18)], nextCursor: 'c' };
    const head = { items: [captured(4, 21), captured(1, 20)], nextCursor: 'after-1' };
    expect(ids(mergeHead(current, head, 'captured').items)).toEqual(['k/4', 'k/1', 'k/2', 'k/3']);
    // Read in received order the same rows would sort before the head's last and be dropped.
    expect(ids(mergeHead(current, head).items)).toEqual(['k/4', 'k/1']);
  });

  it('takes the head alone when it is the whole list', () => {
    const current = { items: [file(9), file(8), file(7)], nextCursor: 'x' };
    expect(mergeHead(current, { items: [file(9)], nextCursor: null })).toEqual({
      items: [file(9)],
      nextCursor: null,
    });
  });
});
