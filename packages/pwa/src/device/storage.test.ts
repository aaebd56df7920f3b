// Storage helpers: estimate parsing, the persist request, the 80 % warning, the room check and byte formatting.
import { describe, expect, it, vi } from 'vitest';
import {
  formatBytes,
  hasRoomFor,
  isStorageLow,
  readStorageUsage,
  requestPersistentStorage,
} from './storage';

describe('readStorageUsage', () => {
  it('returns usage and quota from the estimate', async () => {
    const manager = { estimate: () => Promise.resolve({ usage: 5, quota: 100 }) };
    expect(await readStorageUsage(manager)).toEqual({ usage: 5, quota: 100 });
  });

  it('answers null when the browser has no estimate or gives an unusable one', async () => {
    expect(await readStorageUsage({})).toBeNull();
    expect(await readStorageUsage(undefined)).toBeNull();
    expect(await readStorageUsage({ estimate: () => Promise.resolve({ usage: 1 }) })).toBeNull();
    expect(await readStorageUsage({ estimate: () => Promise.reject(new Error('x')) })).toBeNull();
  });
});

describe('requestPersistentStorage', () => {
  it('does not ask again when storage is already persistent', async () => {
    const persist = vi.fn(() => Promise.resolve(true));
    const result = await requestPersistentStorage({
      persisted: () => Promise.resolve(true),
      persist,
    });
    expect(result).toBe('persisted');
    expect(persist).not.toHaveBeenCalled();
  });

  it('reports granted, denied and unsupported', async () => {
    const no = () => Promise.resolve(false);
    expect(
      await requestPersistentStorage({ persisted: no, persist: () => Promise.resolve(true) }),
    ).toBe('persisted');
    expect(await requestPersistentStorage({ persisted: no, persist: no })).toBe('denied');
    expect(await requestPersistentStorage({})).toBe('unsupported');
  });
});

describe('space checks', () => {
  it('warns only above 80 % of the quota', () => {
    expect(isStorageLow({ usage: 80, quota: 100 })).toBe(false);
    expect(isStorageLow({ usage: 81, quota: 100 })).toBe(true);
    expect(isStorageLow(null)).toBe(false);
  });

  it('refuses a file that does not fit and lets it through when usage is unknown', () => {
    expect(hasRoomFor({ usage: 90, quota: 100 }, 10)).toBe(true);
    expect(hasRoomFor({ usage: 90, quota: 100 }, 11)).toBe(false);
    expect(hasRoomFor(null, 1e12)).toBe(true);
  });

  it('formats bytes in decimal units', () => {
    expect(formatBytes(0)).toBe('0 bytes');
    expect(formatBytes(999)).toBe('999 bytes');
    expect(formatBytes(1500)).toBe('1.5 KB');
    expect(formatBytes(123_456_789)).toBe('123 MB');
    expect(formatBytes(2.5e9)).toBe('2.5 GB');
  });
});
