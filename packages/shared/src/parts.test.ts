// The part-size rule: S3's limits hold for every size up to 5 TiB, and parts tile the file exactly.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  MAX_OBJECT_SIZE,
  MAX_PART_SIZE,
  MAX_PARTS,
  MIN_PART_SIZE,
  SINGLE_PUT_MAX,
  partPlan,
  partRange,
} from './parts.js';

const sizes = fc.oneof(
  fc.bigInt({ min: 0n, max: BigInt(MAX_OBJECT_SIZE) }).map(Number),
  fc.integer({ min: 0, max: 64 * 1024 * 1024 }),
  fc.constantFrom(0, 1, SINGLE_PUT_MAX, SINGLE_PUT_MAX + 1, MAX_OBJECT_SIZE - 1, MAX_OBJECT_SIZE),
);

describe('partPlan', () => {
  it('keeps every plan within S3 limits and tiles the file exactly', () => {
    fc.assert(
      fc.property(sizes, (size) => {
        const plan = partPlan(size);
        expect(plan.size).toBe(size);
        expect(plan.kind === 'single').toBe(size <= SINGLE_PUT_MAX);
        if (plan.kind === 'single') return;
        expect(plan.partSize).toBeGreaterThanOrEqual(MIN_PART_SIZE);
        expect(plan.partSize).toBeLessThanOrEqual(MAX_PART_SIZE);
        expect(plan.partCount).toBeLessThanOrEqual(MAX_PARTS);
        expect(plan.lastPartSize).toBeGreaterThan(0);
        expect(plan.lastPartSize).toBeLessThanOrEqual(plan.partSize);
        expect((plan.partCount - 1) * plan.partSize + plan.lastPartSize).toBe(size);
        const first = partRange(plan, 1);
        const last = partRange(plan, plan.partCount);
        expect(first).toEqual({ start: 0, end: Math.min(plan.partSize, size) });
        expect(last.end - last.start).toBe(plan.lastPartSize);
        expect(last.end).toBe(size);
      }),
      { numRuns: 2000 },
    );
  });

  it('sums part ranges to the size, with no gap or overlap', () => {
    fc.assert(
      fc.property(fc.integer({ min: SINGLE_PUT_MAX + 1, max: 2 ** 31 - 1 }), (size) => {
        const plan = partPlan(size);
        if (plan.kind !== 'multipart') throw new Error('expected multipart');
        let next = 0;
        for (let n = 1; n <= plan.partCount; n++) {
          const { start, end } = partRange(plan, n);
          expect(start).toBe(next);
          next = end;
        }
        expect(next).toBe(size);
      }),
      { numRuns: 200 },
    );
  });

  it('uses a single PUT up to the threshold and multipart just above it', () => {
    expect(partPlan(SINGLE_PUT_MAX)).toEqual({ kind: 'single', size: SINGLE_PUT_MAX });
    expect(partPlan(SINGLE_PUT_MAX + 1)).toMatchObject({ kind: 'multipart', partCount: 3 });
  });

  it('grows parts for 5 TiB to stay within 10,000 parts', () => {
    const plan = partPlan(MAX_OBJECT_SIZE);
    expect(plan).toMatchObject({ kind: 'multipart', partSize: 525 * 1024 * 1024, partCount: 9987 });
  });

  it.each([-1, 1.5, Number.NaN, MAX_OBJECT_SIZE + 1, Number.POSITIVE_INFINITY])(
    'rejects size %s',
    (size) => {
      expect(() => partPlan(size)).toThrow(RangeError);
    },
  );

  it('rejects part numbers outside the plan', () => {
    const plan = partPlan(100 * 1024 * 1024);
    if (plan.kind !== 'multipart') throw new Error('expected multipart');
    expect(() => partRange(plan, 0)).toThrow(RangeError);
    expect(() => partRange(plan, plan.partCount + 1)).toThrow(RangeError);
  });
});
