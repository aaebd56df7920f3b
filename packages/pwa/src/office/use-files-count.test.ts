// Unit tests for the Files count in words: exact counts, one file, and the server's cap.
import { describe, expect, it } from 'vitest';
import { countText } from './use-files-count';

describe('countText', () => {
  it('says nothing while the count is unknown', () => {
    expect(countText(null)).toBeNull();
  });

  it('gives exact counts with thousands separators, and "1 file"', () => {
    expect(countText({ count: 0, capped: false })).toBe('0 files');
    expect(countText({ count: 1, capped: false })).toBe('1 file');
    expect(countText({ count: 2345, capped: false })).toBe('2,345 files');
  });

  it('says "10,000+" past the cap', () => {
    expect(countText({ count: 10_000, capped: true })).toBe('10,000+ files');
  });
});
