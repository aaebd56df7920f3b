// File events (the outbox): what changed about which file, as the live stream (`files.changes`) and webhooks deliver them.
import { z } from 'zod';
import { isoDateTime, uuid } from './common.js';

/** Every file event type. Append new types at the end; never rename one (consumers switch on them). */
export const fileEventType = z.enum([
  'file.uploaded',
  'file.verified',
  'file.mismatch',
  'file.deleted',
  'file.restored',
  'file.purged',
  'file.missing',
]);
/** One file event type. */
export type FileEventType = z.infer<typeof fileEventType>;

/**
 * One event. `id` (a UUIDv7) is what consumers dedupe on: delivery is at least once. `seq` counts
 * the org's events without gaps in commit order. `payload` is a summary of the file at the time
 * (status, system, objectType, objectId, filename, sha256, size, key) plus type-specific facts
 * (`actualSha256` for a mismatch, `reason` for a delete); refetch the file with `files.get` for more.
 */
export const fileEvent = z.strictObject({
  id: uuid,
  seq: z.number().int().min(1),
  orgId: uuid,
  type: fileEventType,
  fileId: uuid.nullable(),
  at: isoDateTime,
  payload: z.record(z.string(), z.json()),
});
/** One file event. */
export type FileEvent = z.infer<typeof fileEvent>;

/**
 * `files.changes` (a subscription over SSE): the org's file events after `lastEventId` (the id of the
 * last event the client has), or from now on without it. `httpSubscriptionLink` fills `lastEventId`
 * by itself when it reconnects, so nothing is missed or repeated across reconnects.
 */
export const filesChangesInput = z.strictObject({ lastEventId: uuid.nullish() }).optional();
/** `files.changes` input. */
export type FilesChangesInput = z.infer<typeof filesChangesInput>;
