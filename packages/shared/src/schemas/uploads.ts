// The upload protocol's messages: begin (idempotent on captureId), sign more parts, list stored parts, complete, abort.
import { z } from 'zod';
import { MAX_OBJECT_SIZE, MAX_PARTS, partPlan } from '../parts.js';
import { captureDetails, captureTargetShape } from './capture.js';
import { isoDateTime, md5Base64, partNumber, refineObjectType, sha256Hex, uuid } from './common.js';
import { calendarDay, fileRecord } from './files.js';

/** True when `partMd5s`, if given, has one digest per part of the plan for `size`. */
function partMd5sFit(input: { size: number; partMd5s?: string[] | undefined }): boolean {
  // Object refinements can run after a field check failed, so `size` may still be invalid here.
  if (input.partMd5s === undefined || !Number.isSafeInteger(input.size) || input.size < 0)
    return true;
  if (input.size > MAX_OBJECT_SIZE) return true;
  const plan = partPlan(input.size);
  return plan.kind === 'multipart' && plan.partCount === input.partMd5s.length;
}

/** Days a receipt date may lie after today (UTC): a device up to 14 h ahead of UTC is still on "today". */
const RECEIPT_DATE_SLACK_DAYS = 1;
/** The earliest receipt date accepted: anything older is a typo (a year of 0026 or 1026). */
const EARLIEST_RECEIPT_DATE = '1900-01-01';

/** The UTC calendar day `days` after now, as `YYYY-MM-DD`. */
function dayFromNow(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
}

/**
 * The date printed on a receipt (`YYYY-MM-DD`): a real calendar day, not before 1900 and not in the
 * future (one day of slack for time zones ahead of UTC). Checked when it arrives, against the clock then.
 */
export const receiptDate = calendarDay
  .refine((day) => day >= EARLIEST_RECEIPT_DATE, {
    error: `Must be on or after ${EARLIEST_RECEIPT_DATE}`,
  })
  .refine((day) => day <= dayFromNow(RECEIPT_DATE_SLACK_DAYS), {
    error: 'The receipt date cannot be in the future',
  });

/** The details typed in on the device as `uploads.begin` carries them: the capture details plus the receipt date. */
export const uploadCaptureDetails = captureDetails.extend({ receiptDate: receiptDate.optional() });
/** The details typed in on the device as `uploads.begin` carries them. */
export type UploadCaptureDetails = z.infer<typeof uploadCaptureDetails>;

/**
 * Start (or resume) the upload of one capture. `sha256` is the device's capture-time hash; `md5` /
 * `partMd5s` let the server sign `Content-MD5` into each URL where storage lacks SHA-256 checksums.
 * `contentType` is the declared type as the browser reported it (may be empty; `checkUpload` decides).
 */
export const uploadBeginInput = refineObjectType(
  z.strictObject({
    captureId: uuid,
    filename: z.string().min(1, { error: 'Required' }).max(1024),
    size: z.number().int().min(1, { error: 'The file is empty' }).max(MAX_OBJECT_SIZE),
    contentType: z.string().max(255),
    sha256: sha256Hex,
    md5: md5Base64.optional(),
    partMd5s: z.array(md5Base64).min(1).max(MAX_PARTS).optional(),
    ...captureTargetShape,
    meta: uploadCaptureDetails.optional(),
  }),
).refine(partMd5sFit, {
  error: 'Needs one MD5 per part of the multipart plan',
  path: ['partMd5s'],
});
/** Start (or resume) the upload of one capture. */
export type UploadBeginInput = z.infer<typeof uploadBeginInput>;

/** A presigned HTTP request the device sends as is: every header listed is signed and must be sent. */
export const presignedRequest = z.strictObject({
  method: z.enum(['PUT', 'GET']),
  url: z.url({ protocol: /^https?$/ }),
  headers: z.record(z.string(), z.string()),
  expiresAt: isoDateTime,
});
/** A presigned HTTP request. */
export type PresignedRequest = z.infer<typeof presignedRequest>;

/** A presigned PUT for one part of a multipart upload. */
export const partUrl = z.strictObject({
  partNumber,
  url: presignedRequest.shape.url,
  headers: presignedRequest.shape.headers,
  expiresAt: isoDateTime,
});
/** A presigned PUT for one part. */
export type PartUrl = z.infer<typeof partUrl>;

/** Set when a verified file of the org already has the same SHA-256 (stored anyway; shown to the user). */
const duplicateOf = uuid.optional();

/**
 * The answer to `begin`: already `verified` (a retried capture), one `single` PUT, or a `multipart`
 * session. `parts` may hold the first parts only; ask for the rest with `signParts`.
 */
export const uploadBeginOutput = z.discriminatedUnion('state', [
  z.strictObject({ state: z.literal('verified'), file: fileRecord, duplicateOf }),
  z.strictObject({
    state: z.literal('single'),
    sessionId: uuid,
    put: presignedRequest,
    duplicateOf,
  }),
  z.strictObject({
    state: z.literal('multipart'),
    sessionId: uuid,
    partSize: z.number().int().positive(),
    partCount: z.number().int().min(1).max(MAX_PARTS),
    parts: z.array(partUrl).max(MAX_PARTS),
    duplicateOf,
  }),
]);
/** The answer to `begin`. */
export type UploadBeginOutput = z.infer<typeof uploadBeginOutput>;

/** Fresh URLs for some parts of a multipart session (at most 1,000 per call; URLs expire). */
export const signPartsInput = z.strictObject({
  sessionId: uuid,
  partNumbers: z
    .array(partNumber)
    .min(1)
    .max(1000)
    .refine((ns) => new Set(ns).size === ns.length, { error: 'Part numbers must be unique' }),
});
/** Fresh URLs for some parts. */
export type SignPartsInput = z.infer<typeof signPartsInput>;

/** The part URLs asked for. */
export const signPartsOutput = z.strictObject({ parts: z.array(partUrl) });
/** The part URLs asked for. */
export type SignPartsOutput = z.infer<typeof signPartsOutput>;

/** One uploaded part as storage acknowledged it (the ETag exactly as returned, quotes included). */
export const completedPart = z.strictObject({ partNumber, etag: z.string().min(1).max(256) });

/** Finish an upload: `parts` for multipart, in ascending part order (as S3 requires); nothing for a single PUT. */
export const uploadCompleteInput = z.strictObject({
  sessionId: uuid,
  parts: z
    .array(completedPart)
    .min(1)
    .max(MAX_PARTS)
    .refine((ps) => ps.every((p, i) => i === 0 || p.partNumber > (ps[i - 1]?.partNumber ?? 0)), {
      error: 'Parts must be in strictly ascending part-number order',
    })
    .optional(),
});
/** Finish an upload. */
export type UploadCompleteInput = z.infer<typeof uploadCompleteInput>;

/**
 * The outcome of `complete`: `verified`, or `mismatch` when the stored bytes hash to `actualSha256`
 * instead (the file is quarantined; the device keeps its copy).
 */
export const uploadCompleteOutput = z.discriminatedUnion('state', [
  z.strictObject({ state: z.literal('verified'), file: fileRecord }),
  z.strictObject({ state: z.literal('mismatch'), file: fileRecord, actualSha256: sha256Hex }),
]);
/** The outcome of `complete`. */
export type UploadCompleteOutput = z.infer<typeof uploadCompleteOutput>;

/** Give up an upload session (the server aborts the multipart upload in storage). */
export const uploadAbortInput = z.strictObject({ sessionId: uuid });
/** Give up an upload session. */
export type UploadAbortInput = z.infer<typeof uploadAbortInput>;

/** The answer to `abort`: the session is gone (`expired` when its deadline had already passed). */
export const uploadAbortOutput = z.strictObject({
  sessionId: uuid,
  state: z.enum(['aborted', 'expired']),
});
/** The answer to `abort`. */
export type UploadAbortOutput = z.infer<typeof uploadAbortOutput>;

/** `listParts`: which session's stored parts to list. */
export const uploadListPartsInput = z.strictObject({ sessionId: uuid });
/** `listParts` input. */
export type UploadListPartsInput = z.infer<typeof uploadListPartsInput>;

/** One part storage holds (ETag exactly as storage returned it) and its size in bytes. */
export const storedPart = completedPart.extend({ size: z.number().int().nonnegative() });
/** One part storage holds. */
export type StoredPart = z.infer<typeof storedPart>;

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
