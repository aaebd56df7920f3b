// The app's top-level sections, in navigation order.

/** A section reachable from the main navigation. */
export interface Section {
  path: string;
  label: string;
}

/** Field work first (Capture, Outbox), then the office desk (Files, Admin). */
export const SECTIONS: readonly Section[] = [
  { path: '/capture', label: 'Capture' },
  { path: '/outbox', label: 'Outbox' },
  { path: '/files', label: 'Files' },
  { path: '/admin', label: 'Admin' },
];

/** Where `/` leads. */
export const HOME_PATH = '/capture';

/** The section whose path matches `pathname` (or a sub-path of it), if any. */
export function findSection(pathname: string): Section | undefined {
  return SECTIONS.find((s) => pathname === s.path || pathname.startsWith(`${s.path}/`));
}
