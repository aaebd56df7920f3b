// Unit tests for the bounded offline cache of lists and files.
import { describe, expect, it } from 'vitest';
import { CACHE_LIMITS, createOfficeCache, forgetOfficeLists } from './office-cache';
import { file, memoryStorage } from './office-test-data';

describe('office cache', () => {
  it('returns the list last saved under a key, with its time, and the files in it', () => {
    const cache = createOfficeCache(memoryStorage(), 'user-a');
    cache.saveList('?system=accounting', [file(2), file(1)], 1000);
    expect(cache.loadList('?system=accounting')).toEqual({
      value: [file(2), file(1)],
      savedAt: 1000,
    });
    expect(cache.loadList('')).toBeNull();
    expect(cache.loadFile(file(1).id)?.value.key).toBe('k/1');
  });

  it('keeps each user apart on the same storage', () => {
    const storage = memoryStorage();
    createOfficeCache(storage, 'user-a').saveFile(file(3));
    expect(createOfficeCache(storage, 'user-b').loadFile(file(3).id)).toBeNull();
  });

  it('stays bounded: oldest lists, surplus rows and old files are dropped', () => {
    const cache = createOfficeCache(memoryStorage(), 'u');
    const many = Array.from({ length: CACHE_LIMITS.rowsPerList + 5 }, (_, i) => file(i));
    for (let n = 0; n <= CACHE_LIMITS.lists; n += 1) cache.saveList(`list-${n}`, many);
    expect(cache.loadList('list-0')).toBeNull();
    expect(cache.loadList(`list-${CACHE_LIMITS.lists}`)?.value).toHaveLength(
      CACHE_LIMITS.rowsPerList,
    );
    for (let n = 0; n <= CACHE_LIMITS.files; n += 1) cache.saveFile(file(1000 + n));
    expect(cache.loadFile(file(1000).id)).toBeNull();
    expect(cache.loadFile(file(1001).id)?.value.key).toBe('k/1001');
  });

  it('survives garbage in storage and a full quota', () => {
    const storage = memoryStorage();
    storage.setItem('fieldvault-office-cache:u', '{not json');
    const cache = createOfficeCache(storage, 'u');
    expect(cache.loadList('x')).toBeNull();
    storage.setItem = () => {
      throw new DOMException('full', 'QuotaExceededError');
    };
    expect(() => cache.saveFile(file(1))).not.toThrow();
  });
});

describe('office cache across page loads', () => {
  it('a new cache over the same storage (a reload) reads what the last one saved', () => {
    const storage = memoryStorage();
    createOfficeCache(storage, 'u').saveList('?q=taxi', [file(4)], 5);
    expect(createOfficeCache(storage, 'u').loadList('?q=taxi')).toEqual({
      value: [file(4)],
      savedAt: 5,
    });
  });
});

describe('forgetOfficeLists', () => {
  it("drops other users' lists and searches (all of them when no one is kept) and leaves other keys", () => {
    const storage = memoryStorage();
    createOfficeCache(storage, 'user-a').saveList('', [file(1)], 1);
    createOfficeCache(storage, 'user-a').saveLastSearch('?q=a');
    createOfficeCache(storage, 'user-b').saveList('', [file(2)], 1);
    createOfficeCache(storage, 'user-b').saveLastSearch('?q=b');
    storage.setItem('something-else', 'kept');

    forgetOfficeLists(storage, 'user-b');
    expect(createOfficeCache(storage, 'user-a').loadList('')).toBeNull();
    expect(createOfficeCache(storage, 'user-a').loadLastSearch()).toBe('');
    expect(createOfficeCache(storage, 'user-b').loadList('')?.value).toEqual([file(2)]);
    expect(createOfficeCache(storage, 'user-b').loadLastSearch()).toBe('?q=b');

    forgetOfficeLists(storage, null);
    expect(createOfficeCache(storage, 'user-b').loadList('')).toBeNull();
    expect(storage.getItem('something-else')).toBe('kept');
    expect(storage.length).toBe(1);
  });
});
