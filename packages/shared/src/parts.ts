// The part-size rule for multipart uploads: both the device and the server derive the same plan from the size.

/** 1 MiB in bytes. */
export const MiB = 1024 * 1024;
/** S3's floor for every part but the last. */
export const MIN_PART_SIZE = 5 * MiB;
/** S3's ceiling for one part. */
export const MAX_PART_SIZE = 5 * 1024 * MiB;
/** S3's ceiling on parts in one upload. */
export const MAX_PARTS = 10_000;
/** S3's ceiling on one object (5 TiB). */
export const MAX_OBJECT_SIZE = 5 * 1024 * 1024 * MiB;
/**
 * Files up to this size go as one presigned PUT. A receipt photo (1–10 MB) then costs a single
 * request, while anything larger gets multipart, where a dropped connection on a phone loses one
 * part instead of the whole file. 16 MiB keeps a failed single PUT cheap to redo on 4G.
 */
export const SINGLE_PUT_MAX = 16 * MiB;
/** Preferred part size: small enough to resume cheaply on mobile, big enough to keep requests few. */
export const DEFAULT_PART_SIZE = 8 * MiB;

/** How an upload of a given size is split. */
export type PartPlan =
  | { kind: 'single'; size: number }
  | { kind: 'multipart'; size: number; partSize: number; partCount: number; lastPartSize: number };

/**
 * Plan the upload of `size` bytes: a single PUT up to {@link SINGLE_PUT_MAX}, otherwise parts of
 * {@link DEFAULT_PART_SIZE}, grown in whole MiB when needed to stay within {@link MAX_PARTS}.
 * Throws RangeError for sizes that are negative, fractional or above {@link MAX_OBJECT_SIZE}.
 */
export function partPlan(size: number): PartPlan {
  if (!Number.isSafeInteger(size) || size < 0 || size > MAX_OBJECT_SIZE) {
    throw new RangeError(`partPlan: size must be an integer from 0 to ${MAX_OBJECT_SIZE}`);
  }
  if (size <= SINGLE_PUT_MAX) return { kind: 'single', size };
  const needed = Math.ceil(size / MAX_PARTS);
  const partSize = Math.max(DEFAULT_PART_SIZE, Math.ceil(needed / MiB) * MiB);
  const partCount = Math.ceil(size / partSize);
  const lastPartSize = size - (partCount - 1) * partSize;
  return { kind: 'multipart', size, partSize, partCount, lastPartSize };
}

/** Byte range `[start, end)` of part `partNumber` (1-based) in a multipart plan. */
export function partRange(
  plan: Extract<PartPlan, { kind: 'multipart' }>,
  partNumber: number,
): { start: number; end: number } {
  if (!Number.isInteger(partNumber) || partNumber < 1 || partNumber > plan.partCount) {
    throw new RangeError(`partRange: part number must be 1..${plan.partCount}`);
  }
  const start = (partNumber - 1) * plan.partSize;
  return { start, end: Math.min(start + plan.partSize, plan.size) };
}
