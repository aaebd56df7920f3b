// What each role may do on the office desk, mirroring the server's role procedures (the server still decides).
import type { Role } from '@fieldvault/shared/schemas';

/** An office capability the UI shows or hides controls for. */
export type OfficeAction = 'files.mutate' | 'files.purge' | 'audit.read' | 'users.manage';

/**
 * Same lists as the server's `roleProcedure(...)` calls: files.delete/restore (office, admin), files.purge
 * (admin), audit.list/verify (admin, auditor), admin.users.* (admin). Hiding a control is a courtesy; a call
 * that slips through is refused by the server all the same.
 */
const ALLOWED: Record<OfficeAction, readonly Role[]> = {
  'files.mutate': ['office', 'admin'],
  'files.purge': ['admin'],
  'audit.read': ['admin', 'auditor'],
  'users.manage': ['admin'],
};

/** True when `role` may do `action`. */
export function may(role: Role, action: OfficeAction): boolean {
  return ALLOWED[action].includes(role);
}
