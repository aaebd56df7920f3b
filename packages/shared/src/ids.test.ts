// Identifier rules: UUID v7 layout (time prefix, version and variant bits), order by time and uniqueness.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isUuid, uuidv7 } from './ids.js';

/** The 48-bit millisecond timestamp a v7 UUID starts with. */
const timeOf = (id: string): number => parseInt(id.replace(/-/g, '').slice(0, 12), 16);

describe('uuidv7', () => {
  it('writes a canonical lowercase UUID that isUuid accepts', () => {
    const id = uuidv7();
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(isUuid(id)).toBe(true);
  });

  it('lays out a known timestamp and random bytes exactly', () => {
    const id = uuidv7({ now: () => 0x0193_7a3c_1234, randomBytes: (b) => b.fill(0xff) });
    expect(id).toBe('01937a3c-1234-7fff-bfff-ffffffffffff');
    expect(uuidv7({ now: () => 1.9, randomBytes: (b) => b })).toBe(
      '00000000-0001-7000-8000-000000000000',
    );
  });

  it('sets version 7 and variant 10 whatever the random bytes and time', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 16, maxLength: 16 }),
        fc.integer({ min: 0, max: 2 ** 48 - 1 }),
        (random, now) => {
          const randomBytes = (b: Uint8Array) => {
            b.set(random);
            return b;
          };
          const id = uuidv7({ now: () => now, randomBytes });
          expect(id[14]).toBe('7');
          expect('89ab').toContain(id[19]);
          expect(timeOf(id)).toBe(now);
          expect(isUuid(id)).toBe(true);
        },
      ),
    );
  });

  it('sorts by creation time: a later millisecond gives a greater id', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 48 - 2 }),
        fc.integer({ min: 1, max: 1_000_000 }),
        (t, dt) => {
          const later = Math.min(t + dt, 2 ** 48 - 1);
          expect(uuidv7({ now: () => t }) < uuidv7({ now: () => later })).toBe(true);
        },
      ),
    );
  });

  it('starts with the current time and never repeats', () => {
    const before = Date.now();
    const ids = Array.from({ length: 10_000 }, () => uuidv7());
    const after = Date.now();
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of [ids[0], ids.at(-1)]) {
      const t = timeOf(id ?? '');
      expect(t).toBeGreaterThanOrEqual(before);
      expect(t).toBeLessThanOrEqual(after);
    }
  });
});
