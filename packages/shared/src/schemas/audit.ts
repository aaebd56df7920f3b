// Audit trail messages: server audit events (hash-chained per org), reading and verifying the chain, and the device events recorded offline.
import { z } from 'zod';
import { role } from './auth.js';
import { isoDateTime, pagedListInput, pageOf, refineDateRange, sha256Hex, uuid } from './common.js';

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
  'FILE_VERIFIED',
  'FILES_EXPORTED',
  'AUDIT_EXPORTED',
  'LEGAL_HOLD_SET',
  'LEGAL_HOLD_RELEASED',
  'CERTIFICATE_ISSUED',
  'WEBHOOK_CREATED',
  'WEBHOOK_DELETED',
  'RETENTION_POLICY_SET',
  'RETENTION_APPLIED',
]);
/** One audit action. */
export type AuditAction = z.infer<typeof auditAction>;

/** Free-form JSON details of an event. */
const details = z.record(z.string().max(64), z.json());

/**
 * One entry of an org's append-only audit chain, as `audit.list` returns it: `hash` = SHA-256 over the
 * entry with `prevHash` (64 zeros for `seq` 1). `deviceAt` is the device's clock for ingested device
 * events; `actorRole`, `userAgent`, `targetKey`, `success` and `errorCode` say who acted, how, on
 * which object key, and whether it was refused.
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
  // Who acted, how, on which key and with what outcome: after the core fields, where `audit.list` always put them.
  actorRole: role.nullable(),
  userAgent: z.string().nullable(),
  targetKey: z.string().nullable(),
  success: z.boolean(),
  errorCode: z.string().nullable(),
});
/** One audit chain entry. */
export type AuditEvent = z.infer<typeof auditEvent>;

/** Page size of `audit.list`: 1..100, 50 when absent. */
export const AUDIT_PAGE_DEFAULT = 50;

/** `audit.list` filters; dates bound the server time `at`, both inclusive (`to` before `from` is refused on `to`). */
export const auditListFilters = refineDateRange(
  z.strictObject({
    userId: uuid.optional(),
    fileId: uuid.optional(),
    action: auditAction.optional(),
    failuresOnly: z.boolean().optional(),
    from: isoDateTime.optional(),
    to: isoDateTime.optional(),
  }),
);
/** `audit.list` filters. */
export type AuditListFilters = z.infer<typeof auditListFilters>;

/**
 * `audit.list`: newest first (seq desc), keyset pages. `cursor` is opaque: pass back a page's
 * `nextCursor` unchanged (the server refuses any other string).
 */
export const auditListInput = pagedListInput(auditListFilters, 64);
/** `audit.list` input. */
export type AuditListInput = z.infer<typeof auditListInput>;

/** One page of `audit.list`; `nextCursor` is null on the last page. */
export const auditPage = pageOf(auditEvent);
/** One page of `audit.list`. */
export type AuditPage = z.infer<typeof auditPage>;

/** Page size of `files.history`: 1..100, 50 when absent. */
export const FILE_HISTORY_PAGE_DEFAULT = 50;

/**
 * `files.history`: the audit trail of one file, newest first (seq desc), keyset pages. `cursor` is
 * opaque: pass back a page's `nextCursor` unchanged (the server refuses any other string).
 */
export const fileHistoryInput = z.strictObject({
  id: uuid,
  cursor: z.string().max(64).optional(),
  limit: z.number().int().min(1).max(100).optional(),
});
/** `files.history` input. */
export type FileHistoryInput = z.infer<typeof fileHistoryInput>;

/**
 * One event of a file's trail as office staff see it: who acted (user, role, device, IP), what,
 * when and whether it was refused — the audit entry without the chain's hashes and user agent.
 */
export const fileHistoryEntry = auditEvent.pick({
  id: true,
  seq: true,
  at: true,
  deviceAt: true,
  action: true,
  actorId: true,
  actorRole: true,
  deviceLabel: true,
  ip: true,
  success: true,
  errorCode: true,
  details: true,
});
/** One event of a file's trail. */
export type FileHistoryEntry = z.infer<typeof fileHistoryEntry>;

/** One page of `files.history`; `nextCursor` is null on the last page. */
export const fileHistoryPage = pageOf(fileHistoryEntry);
/** One page of `files.history`. */
export type FileHistoryPage = z.infer<typeof fileHistoryPage>;

/**
 * `audit.verify`: recompute the org's chain. `from`/`to` (server time, inclusive) narrow it to the
 * events in that window plus the link into it; without them the whole chain up to its head.
 */
export const auditVerifyInput = refineDateRange(
  z.strictObject({ from: isoDateTime.optional(), to: isoDateTime.optional() }),
).optional();
/** `audit.verify` input. */
export type AuditVerifyInput = z.infer<typeof auditVerifyInput>;

/**
 * Why a link is broken: `gap` (a seq is missing; `expectedSeq` names it), `prev_hash` (the row does
 * not point at its predecessor), `hash` (the row was edited), `missing` (rows the chain head counts
 * are gone from the end), `head` (the last row is not the one the chain head recorded).
 */
export const chainBreakReason = z.enum(['gap', 'prev_hash', 'hash', 'missing', 'head']);
/** Why a link of the chain is broken. */
export type ChainBreakReason = z.infer<typeof chainBreakReason>;

/** The result of `audit.verify`. */
export const auditVerifyResult = z.strictObject({
  ok: z.boolean(),
  /** Rows whose hash was recomputed. */
  checked: z.number().int().nonnegative(),
  /** The seq range examined; null when the window holds no events. */
  fromSeq: z.number().int().positive().nullable(),
  toSeq: z.number().int().positive().nullable(),
  firstBreak: z
    .strictObject({
      seq: z.number().int().positive(),
      reason: chainBreakReason,
      expectedSeq: z.number().int().positive().optional(),
    })
    .nullable(),
});
/** The result of `audit.verify`. */
export type AuditVerifyResult = z.infer<typeof auditVerifyResult>;

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

/** What the server did with a pushed batch: new events, ones it already had, and those flagged for clock skew. */
export const deviceEventsPushOutput = z.strictObject({
  accepted: z.number().int().nonnegative(),
  duplicates: z.number().int().nonnegative(),
  /** Ids of newly accepted events whose device time is more than 5 minutes ahead of the server's. */
  skewFlagged: z.array(uuid),
});
/** What the server did with a pushed batch. */
export type DeviceEventsPushOutput = z.infer<typeof deviceEventsPushOutput>;
