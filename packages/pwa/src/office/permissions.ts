// What each role may do on the office desk, mirroring the server's role procedures (the server still decides).
import type { FileRecord, Role } from '@fieldvault/shared/schemas';

/** An office capability the UI shows or hides controls for. */
export type OfficeAction =
  | 'files.mutate'
  | 'files.purge'
  | 'files.history'
  | 'audit.read'
  | 'users.manage'
  | 'legal-hold.read'
  | 'legal-hold.change';

/**
 * Same lists as the server's `roleProcedure(...)` calls: files.delete/restore (office, admin), files.purge
 * (admin), files.history (office, admin, auditor), audit.list/verify (admin, auditor), admin.users.* (admin). Hiding a control is a courtesy; a call
 * that slips through is refused by the server all the same.
 */
const ALLOWED: Record<OfficeAction, readonly Role[]> = {
  'files.mutate': ['office', 'admin'],
  'files.purge': ['admin'],
  'files.history': ['office', 'admin', 'auditor'],
  'audit.read': ['admin', 'auditor'],
  'users.manage': ['admin'],
  // compliance.legalHoldStatus (admin, auditor) and compliance.legalHold (admin).
  'legal-hold.read': ['admin', 'auditor'],
  'legal-hold.change': ['admin'],
};

/** True when `role` may do `action`. */
export function may(role: Role, action: OfficeAction): boolean {
  return ALLOWED[action].includes(role);
}

/** A change to one file the UI can offer. */
export type FileAction = 'verify' | 'delete' | 'restore' | 'purge';

/** An action offered for a file, and why it is refused now (null when it may go ahead). */
export interface OfferedAction {
  action: FileAction;
  blockedBy: string | null;
}

type ActionFile = Pick<FileRecord, 'status' | 'retentionUntil'>;

/**
 * The file actions `role` is offered for `file`, in display order, mirroring the server: verify, delete and
 * restore for office and admin (delete/verify on files whose bytes are stored, verify also on a missing one —
 * its object may have been put back —, restore on deleted ones); purge for admins on deleted or mismatched
 * files, refused while retention runs. A purged file (a record without bytes) is offered nothing.
 */
export function fileActionsFor(role: Role, file: ActionFile, now = Date.now()): OfferedAction[] {
  const offered: OfferedAction[] = [];
  const stored = file.status === 'verified' || file.status === 'mismatch';
  if (may(role, 'files.mutate') && stored) {
    offered.push({ action: 'verify', blockedBy: null }, { action: 'delete', blockedBy: null });
  }
  if (may(role, 'files.mutate') && file.status === 'missing')
    offered.push({ action: 'verify', blockedBy: null });
  if (may(role, 'files.mutate') && file.status === 'deleted')
    offered.push({ action: 'restore', blockedBy: null });
  if (may(role, 'files.purge') && (file.status === 'deleted' || file.status === 'mismatch')) {
    const locked = file.retentionUntil !== null && Date.parse(file.retentionUntil) > now;
    offered.push({
      action: 'purge',
      blockedBy: locked ? `retention runs until ${file.retentionUntil?.slice(0, 10) ?? ''}` : null,
    });
  }
  return offered;
}
