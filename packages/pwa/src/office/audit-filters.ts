// The org audit view's filters as the URL carries them and audit.list receives them.
import { auditListFilters, type AuditListFilters } from '@fieldvault/shared/schemas';
import { dayBound } from './file-filters';

/** What the audit filter form holds ('' = not set; days as `YYYY-MM-DD`). */
export interface AuditForm {
  userId: string;
  action: string;
  failuresOnly: boolean;
  from: string;
  to: string;
}

/** No filters: the whole log, newest first. */
export const EMPTY_AUDIT_FORM: AuditForm = {
  userId: '',
  action: '',
  failuresOnly: false,
  from: '',
  to: '',
};

/** Reads the form from the query string (`?user=…&action=FILE_DELETED&failures=1`). */
export function auditFormFromSearch(search: string): AuditForm {
  const p = new URLSearchParams(search);
  return {
    userId: p.get('user') ?? '',
    action: p.get('action') ?? '',
    failuresOnly: p.get('failures') === '1',
    from: p.get('from') ?? '',
    to: p.get('to') ?? '',
  };
}

/** The canonical query string of a form (`''` when empty). */
export function searchFromAuditForm(form: AuditForm): string {
  const p = new URLSearchParams();
  if (form.userId) p.set('user', form.userId);
  if (form.action) p.set('action', form.action);
  if (form.failuresOnly) p.set('failures', '1');
  if (form.from) p.set('from', form.from);
  if (form.to) p.set('to', form.to);
  const query = p.toString();
  return query ? `?${query}` : '';
}

/** audit.list filters for the form; values the shared schema refuses are left out and named. */
export function resolveAuditFilters(form: AuditForm): {
  filters: AuditListFilters;
  invalid: string[];
} {
  const raw: Record<string, unknown> = {
    ...(form.userId ? { userId: form.userId } : {}),
    ...(form.action ? { action: form.action } : {}),
    ...(form.failuresOnly ? { failuresOnly: true } : {}),
  };
  const from = dayBound(form.from, false);
  const to = dayBound(form.to, true);
  if (from) raw.from = from;
  if (to) raw.to = to;
  const invalid: string[] = [];
  for (let attempt = 0; attempt < 4; attempt += 1) {
    const parsed = auditListFilters.safeParse(raw);
    if (parsed.success) return { filters: parsed.data, invalid };
    for (const issue of parsed.error.issues) {
      const field = String(issue.path[0] ?? '');
      delete raw[field];
      if (field && !invalid.includes(field)) invalid.push(field);
    }
  }
  return { filters: {}, invalid };
}
