// Inputs and outputs of the `audit` procedures; the shared audit event plus what shared does not have yet.
import { auditAction, auditEvent, isoDateTime, role, uuid } from '@fieldvault/shared/schemas';
import { z } from 'zod';

// TODO(shared): every schema below belongs in @fieldvault/shared/schemas/audit.ts (the PWA's audit screen needs them).

/** Page size of `audit.list`: 1..100, 50 when absent. */
export const AUDIT_PAGE_DEFAULT = 50;

const CURSOR_PREFIX = 'a1.';

/** The opaque `audit.list` cursor: the last seq of the previous page. */
export function encodeAuditCursor(seq: number): string {
  return CURSOR_PREFIX + Buffer.from(String(seq), 'utf8').toString('base64url');
}

/** The seq a cursor names, or null when it is not one of ours. */
export function decodeAuditCursor(cursor: string): number | null {
  if (!cursor.startsWith(CURSOR_PREFIX)) return null;
  const text = Buffer.from(cursor.slice(CURSOR_PREFIX.length), 'base64url').toString('utf8');
  if (!/^[1-9]\d{0,15}$/.test(text)) return null;
  const seq = Number(text);
  return Number.isSafeInteger(seq) ? seq : null;
}

const cursor = z
  .string()
  .max(64)
  .refine((c) => decodeAuditCursor(c) !== null, { error: 'Not a cursor from a previous page' });

/** `from` must not be after `to`; reported on `to`. */
function orderedRange<T extends { from?: string | undefined; to?: string | undefined }>(v: T) {
  return !v.from || !v.to || Date.parse(v.from) <= Date.parse(v.to);
}

/** `audit.list` filters; dates bound the server time `at`, both inclusive. */
export const auditListFilters = z
  .strictObject({
    userId: uuid.optional(),
    fileId: uuid.optional(),
    action: auditAction.optional(),
    failuresOnly: z.boolean().optional(),
    from: isoDateTime.optional(),
    to: isoDateTime.optional(),
  })
  .refine(orderedRange, { error: 'Must not be before from', path: ['to'] });
export type AuditListFilters = z.infer<typeof auditListFilters>;

/** `audit.list`: newest first (seq desc), keyset pages. */
export const auditListInput = z
  .strictObject({
    filters: auditListFilters.optional(),
    cursor: cursor.optional(),
    limit: z.number().int().min(1).max(100).optional(),
  })
  .optional();
export type AuditListInput = z.infer<typeof auditListInput>;

/** One audit entry as the audit screen shows it: the shared event plus who/how/outcome. */
export const auditEntry = auditEvent.extend({
  actorRole: role.nullable(),
  userAgent: z.string().nullable(),
  targetKey: z.string().nullable(),
  success: z.boolean(),
  errorCode: z.string().nullable(),
});
export type AuditEntry = z.infer<typeof auditEntry>;

/** One page of `audit.list`; `nextCursor` is null on the last page. */
export const auditPage = z.strictObject({
  items: z.array(auditEntry),
  nextCursor: z.string().nullable(),
});
export type AuditPage = z.infer<typeof auditPage>;

/**
 * `audit.verify`: recompute the org's chain. `from`/`to` (server time, inclusive) narrow it to the
 * events in that window plus the link into it; without them the whole chain up to its head.
 */
export const auditVerifyInput = z
  .strictObject({ from: isoDateTime.optional(), to: isoDateTime.optional() })
  .refine(orderedRange, { error: 'Must not be before from', path: ['to'] })
  .optional();
export type AuditVerifyInput = z.infer<typeof auditVerifyInput>;

/**
 * Why a link is broken: `gap` (a seq is missing; `expectedSeq` names it), `prev_hash` (the row does
 * not point at its predecessor), `hash` (the row was edited), `missing` (rows the chain head counts
 * are gone from the end), `head` (the last row is not the one the chain head recorded).
 */
export const chainBreakReason = z.enum(['gap', 'prev_hash', 'hash', 'missing', 'head']);

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
export type AuditVerifyResult = z.infer<typeof auditVerifyResult>;
