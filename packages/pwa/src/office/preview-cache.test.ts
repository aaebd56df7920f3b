// Unit tests for the bounded preview cache.
import { describe, expect, it } from 'vitest';
import { createPreviewCache } from './preview-cache';

describe('preview cache', () => {
  it('keeps the most recently used previews up to its limit', () => {
    const cache = createPreviewCache(2);
    const a = new Blob(['a']);
    cache.set('a', a);
    cache.set('b', new Blob(['b']));
    expect(cache.get('a')).toBe(a); // a is now the most recent
    cache.set('c', new Blob(['c']));
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toBe(a);
    expect(cache.get('c')).toBeDefined();
  });
});
