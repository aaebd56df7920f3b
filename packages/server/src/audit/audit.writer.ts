// Appends audit events to the per-org hash chain inside the caller's transaction: seq gapless, hash = SHA-256(row + prev_hash).
import { createHash, randomUUID } from 'node:crypto';
import type { AuditAction } from '@fieldvault/shared/schemas';
import type { Tx } from '../db/database.js';
import type { AuditEventRow, JsonValue, Role } from '../db/schema.js';
import { canonicalJson } from './canonical-json.js';

/**
 * The audit row could not be written; the action it records fails with it. Counted in
 * `fieldvault_audit_write_failures_total` and logged as CRITICAL by the HTTP layer.
 */
export class AuditWriteError extends Error {
  override readonly name = 'AuditWriteError';
  constructor(
    readonly action: string,
    options: { cause: unknown },
  ) {
    super(`audit write failed for ${action}`, options);
  }
}

/** True when `error` or one of its causes is an {@link AuditWriteError}. */
export function isAuditWriteError(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 10; e = e.cause, depth++) {
    if (e instanceof AuditWriteError) return true;
  }
  return false;
}

/** prev_hash of an org's first event. */
export const GENESIS_HASH = '0'.repeat(64);

export interface AuditEventInput {
  orgId: string;
  at: Date;
  /** Device clock for events recorded on the device. */
  deviceAt?: Date | null;
  actor: { userId: string | null; role: Role | null };
  ip?: string | null;
  userAgent?: string | null;
  deviceLabel?: string | null;
  action: AuditAction;
  target?: { fileId?: string | null; key?: string | null; captureId?: string | null };
  success: boolean;
  errorCode?: string | null;
  /** Structured context; never file contents or secrets. */
  details?: { [key: string]: JsonValue };
}

/** The hashed fields of an audit row, in their wire names (what `audit.verify` recomputes). */
export type HashedAuditFields = Omit<AuditEventRow, 'hash'>;

/** SHA-256 hex of the canonical JSON of the row including its prev_hash. */
export function computeAuditHash(row: HashedAuditFields): string {
  const body = canonicalJson({
    id: row.id,
    orgId: row.org_id,
    seq: row.seq,
    at: row.at,
    deviceAt: row.device_at,
    actorUserId: row.actor_user_id,
    actorRole: row.actor_role,
    ip: row.ip,
    userAgent: row.user_agent,
    deviceLabel: row.device_label,
    action: row.action,
    targetFileId: row.target_file_id,
    targetKey: row.target_key,
    captureId: row.capture_id,
    success: row.success,
    errorCode: row.error_code,
    details: row.details,
    prevHash: row.prev_hash,
  });
  return createHash('sha256').update(body, 'utf8').digest('hex');
}

/**
 * Append one event. Must run inside the transaction that makes the change it records, so the
 * change and its audit row commit or fail together. Concurrency: the org's chain head row is
 * locked `FOR UPDATE`, so concurrent writers of one org queue up and seq stays gapless; other
 * orgs are not blocked.
 */
export async function appendAuditEvent(trx: Tx, event: AuditEventInput): Promise<AuditEventRow> {
  try {
    return await writeEvent(trx, event);
  } catch (err) {
    throw new AuditWriteError(event.action, { cause: err });
  }
}

async function writeEvent(trx: Tx, event: AuditEventInput): Promise<AuditEventRow> {
  await trx
    .insertInto('audit_chain_heads')
    .values({ org_id: event.orgId, seq: 0, hash: GENESIS_HASH })
    .onConflict((oc) => oc.column('org_id').doNothing())
    .execute();
  const head = await trx
    .selectFrom('audit_chain_heads')
    .select(['seq', 'hash'])
    .where('org_id', '=', event.orgId)
    .forUpdate()
    .executeTakeFirstOrThrow();

  const fields: HashedAuditFields = {
    id: randomUUID(),
    org_id: event.orgId,
    seq: head.seq + 1,
    // Dates carry milliseconds only, so they round-trip through timestamptz unchanged.
    at: new Date(event.at.getTime()),
    device_at: event.deviceAt ? new Date(event.deviceAt.getTime()) : null,
    actor_user_id: event.actor.userId,
    actor_role: event.actor.role,
    ip: event.ip ?? null,
    user_agent: event.userAgent ?? null,
    device_label: event.deviceLabel ?? null,
    action: event.action,
    target_file_id: event.target?.fileId ?? null,
    target_key: event.target?.key ?? null,
    capture_id: event.target?.captureId ?? null,
    success: event.success,
    error_code: event.errorCode ?? null,
    details: event.details ?? {},
    prev_hash: head.hash,
  };
  const row: AuditEventRow = { ...fields, hash: computeAuditHash(fields) };
  await trx.insertInto('audit_events').values(row).execute();
  await trx
    .updateTable('audit_chain_heads')
    .set({ seq: row.seq, hash: row.hash })
    .where('org_id', '=', event.orgId)
    .execute();
  return row;
}
