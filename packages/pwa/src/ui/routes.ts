// The app's top-level sections, in navigation order, and which roles may open each.
import type { Role } from '@fieldvault/shared/schemas';

/** A section reachable from the main navigation. */
export interface Section {
  path: string;
  label: string;
  /** Roles that see the section; mirrors the server's role checks on the procedures it calls. */
  roles: readonly Role[];
}

/**
 * Field work first (Capture, Outbox: whoever may upload), then the office desk. Auditors only read, so they
 * never capture; the audit log is for admins and auditors; user management for admins (as on the server).
 */
export const SECTIONS: readonly Section[] = [
  { path: '/capture', label: 'Capture', roles: ['field', 'office', 'admin'] },
  { path: '/outbox', label: 'Outbox', roles: ['field', 'office', 'admin'] },
  { path: '/files', label: 'Files', roles: ['office', 'admin', 'auditor'] },
  { path: '/audit', label: 'Audit', roles: ['admin', 'auditor'] },
  { path: '/admin', label: 'Admin', roles: ['admin'] },
];

/** Where `/` leads. */
export const HOME_PATH = '/capture';

/** The section whose path matches `pathname` (or a sub-path of it), if any. */
export function findSection(pathname: string): Section | undefined {
  return SECTIONS.find((s) => pathname === s.path || pathname.startsWith(`${s.path}/`));
}

/** True when `role` may open `section`. */
export function sectionAllowed(section: Section, role: Role): boolean {
  return section.roles.includes(role);
}

/** The sections `role` sees in the navigation, in order. */
export function sectionsFor(role: Role): Section[] {
  return SECTIONS.filter((s) => sectionAllowed(s, role));
}

/** The first section `role` may open: where a user lands when the page they asked for is not theirs. */
export function homeFor(role: Role): Section | undefined {
  return sectionsFor(role)[0];
}
