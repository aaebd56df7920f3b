// Audit trail messages: server audit events (hash-chained per org) and the device events recorded offline.
import { z } from 'zod';
import { isoDateTime, sha256Hex, uuid } from './common.js';

/** Every action the audit log records. Append new actions at the end; never rename one. */
export const auditAction = z.enum([
  'LOGIN',
  'LOGIN_FAILED',
  'LOGOUT',
  'UPLOAD_BEGUN',
  'UPLOAD_COMPLETED',
  'UPLOAD_VERIFIED',
  'HASH_MISMATCH',
  'UPLOAD_ABORTED',
  'DOWNLOAD_URL_ISSUED',
  'FILE_DELETED',
  'FILE_RESTORED',
  'FILE_PURGED',
  'FILE_QUARANTINED',
  'FILE_IMPORTED',
  'USER_CREATED',
  'USER_UPDATED',
  'USER_DISABLED',
  'PASSWORD_RESET',
  'ACCESS_DENIED',
  'DEVICE_EVENT',
  'RECONCILE_RUN',
  'RECONCILE_REPAIRED',
  'AUDIT_CHECKPOINT',
  'AUDIT_VERIFIED',
]);
/** One audit action. */
export type AuditAction = z.infer<typeof auditAction>;

/** Free-form JSON details of an event. */
const details = z.record(z.string().max(64), z.json());

/**
 * One entry of an org's append-only audit chain: `hash` = SHA-256 over the entry with `prevHash`
 * (64 zeros for `seq` 1). `deviceAt` is the device's clock for ingested device events.
 */
export const auditEvent = z.strictObject({
  id: uuid,
  orgId: uuid,
  seq: z.number().int().min(1),
  at: isoDateTime,
  deviceAt: isoDateTime.nullable(),
  action: auditAction,
  actorId: uuid.nullable(),
  fileId: uuid.nullable(),
  captureId: uuid.nullable(),
  deviceLabel: z.string().max(100).nullable(),
  ip: z.string().max(64).nullable(),
  details,
  prevHash: sha256Hex,
  hash: sha256Hex,
});
/** One audit chain entry. */
export type AuditEvent = z.infer<typeof auditEvent>;

/** What happened on the device. */
export const deviceEventKind = z.enum([
  'captured',
  'edited',
  'discarded',
  'sync_attempt',
  'sync_failed',
]);
/** What happened on the device. */
export type DeviceEventKind = z.infer<typeof deviceEventKind>;

/** An event the device recorded, possibly offline; `id` makes ingestion idempotent. */
export const deviceEvent = z.strictObject({
  id: uuid,
  capturedAt: isoDateTime,
  kind: deviceEventKind,
  captureId: uuid,
  sha256: sha256Hex.optional(),
  deviceLabel: z.string().trim().min(1, { error: 'Required' }).max(100),
  details: details.optional(),
});
/** An event the device recorded. */
export type DeviceEvent = z.infer<typeof deviceEvent>;

/** A batch of device events sent when the device syncs (re-sending a batch is harmless). */
export const deviceEventBatch = z.strictObject({ events: z.array(deviceEvent).min(1).max(500) });
/** A batch of device events. */
export type DeviceEventBatch = z.infer<typeof deviceEventBatch>;
