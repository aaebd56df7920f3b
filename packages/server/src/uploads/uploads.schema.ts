// Wire schemas of the uploads router that shared does not have yet (listParts and abort outputs).
import { z } from 'zod';
import { partNumber, uuid } from '@fieldvault/shared/schemas';

// TODO(shared): move `uploadListPartsInput/Output` and `uploadAbortOutput` to @fieldvault/shared/schemas
// so the PWA's sync engine reads the resume point with the same types.

/** Which session's stored parts to list. */
export const uploadListPartsInput = z.strictObject({ sessionId: uuid });

/** One part storage holds (ETag exactly as storage returned it). */
export const storedPart = z.strictObject({
  partNumber,
  etag: z.string().min(1).max(256),
  size: z.number().int().nonnegative(),
});

/**
 * What storage already has for a session: the device's resume point. A single-PUT session lists its
 * one object as part 1 once the PUT has landed.
 */
export const uploadListPartsOutput = z.strictObject({
  sessionId: uuid,
  kind: z.enum(['single', 'multipart']),
  partCount: z.number().int().min(1),
  parts: z.array(storedPart),
});
/** What storage already has for a session. */
export type UploadListPartsOutput = z.infer<typeof uploadListPartsOutput>;

/** The answer to `abort`. */
export const uploadAbortOutput = z.strictObject({
  sessionId: uuid,
  state: z.enum(['aborted', 'expired']),
});
/** The answer to `abort`. */
export type UploadAbortOutput = z.infer<typeof uploadAbortOutput>;
