// Audit entries in words: action names, who acted, and where from, shared by the file trail and the org audit view.
import type {
  AuditAction,
  AuditEvent,
  AuditVerifyResult,
  ChainBreakReason,
} from '@fieldvault/shared/schemas';

/**
 * A human name per action (the raw code is shown next to it for searching and support). Partial on purpose:
 * the server appends actions, and a new one shows as its code until it gets a name here.
 */
const ACTION_LABEL: Partial<Record<AuditAction, string>> = {
  LOGIN: 'Signed in',
  LOGIN_FAILED: 'Sign-in failed',
  LOGOUT: 'Signed out',
  UPLOAD_BEGUN: 'Upload started',
  UPLOAD_COMPLETED: 'Upload completed',
  UPLOAD_VERIFIED: 'SHA-256 verified',
  HASH_MISMATCH: 'SHA-256 mismatch',
  UPLOAD_ABORTED: 'Upload aborted',
  DOWNLOAD_URL_ISSUED: 'Download link issued',
  FILE_DELETED: 'Deleted',
  FILE_RESTORED: 'Restored',
  FILE_PURGED: 'Purged',
  FILE_QUARANTINED: 'Quarantined',
  FILE_IMPORTED: 'Imported',
  USER_CREATED: 'User created',
  USER_UPDATED: 'User changed',
  USER_DISABLED: 'User disabled',
  PASSWORD_RESET: 'Password reset',
  ACCESS_DENIED: 'Access denied',
  DEVICE_EVENT: 'Device event',
  RECONCILE_RUN: 'Reconcile run',
  RECONCILE_REPAIRED: 'Reconcile repaired',
  AUDIT_CHECKPOINT: 'Audit checkpoint',
  AUDIT_VERIFIED: 'Audit chain verified',
  FILE_VERIFIED: 'Verified again (Verify now)',
  FILES_EXPORTED: 'Files exported',
  AUDIT_EXPORTED: 'Audit log exported',
};

/** The action's name in words, or its code when it has none yet. */
export function actionLabel(action: AuditAction): string {
  return ACTION_LABEL[action] ?? action;
}

/** "Office user 0195…(office)" style actor text; the system itself when no user acted. */
export function actorText(
  event: Pick<AuditEvent, 'actorId' | 'actorRole'>,
  names: ReadonlyMap<string, string>,
): string {
  if (event.actorId === null) return 'System';
  const name = names.get(event.actorId) ?? `User ${event.actorId.slice(0, 8)}…`;
  return event.actorRole ? `${name} (${event.actorRole})` : name;
}

/** What the device or the details add: a refused action's code, a deletion reason, an inline preview. */
export function detailText(event: Pick<AuditEvent, 'success' | 'errorCode' | 'details'>): string {
  const parts: string[] = [];
  if (!event.success) parts.push(`refused${event.errorCode ? ` (${event.errorCode})` : ''}`);
  const { reason, disposition, kind } = event.details;
  if (typeof reason === 'string') parts.push(`reason: ${reason}`);
  if (typeof disposition === 'string') parts.push(disposition);
  if (typeof kind === 'string') parts.push(kind);
  return parts.join(' · ');
}

const BREAK_REASON: Record<ChainBreakReason, string> = {
  gap: 'an event is missing',
  prev_hash: 'the event does not point at the one before it',
  hash: 'the event was changed after it was written',
  missing: 'the newest events are gone',
  head: 'the last event is not the one the chain head recorded',
};

/** "Audit chain intact up to event #123,456", or the first broken link in words. */
export function chainStatusText(result: AuditVerifyResult): string {
  const n = (seq: number) => `#${seq.toLocaleString('en-GB')}`;
  if (result.ok) {
    return result.toSeq === null
      ? 'Audit chain intact: no events yet'
      : `Audit chain intact up to event ${n(result.toSeq)} (${result.checked.toLocaleString('en-GB')} checked)`;
  }
  const brk = result.firstBreak;
  if (brk === null) return 'Audit chain broken (the server gave no position)';
  const at = brk.reason === 'gap' && brk.expectedSeq !== undefined ? brk.expectedSeq : brk.seq;
  return `Audit chain broken at event ${n(at)}: ${BREAK_REASON[brk.reason]}`;
}
