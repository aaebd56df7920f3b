// Unit tests for the audit view's URL filters.
import { describe, expect, it } from 'vitest';
import {
  auditFormFromSearch,
  EMPTY_AUDIT_FORM,
  resolveAuditFilters,
  searchFromAuditForm,
} from './audit-filters';

describe('audit filters', () => {
  it('round-trips through the query string', () => {
    const form = {
      userId: '0195f6a0-0000-7000-8000-000000000001',
      action: 'FILE_DELETED',
      failuresOnly: true,
      from: '2026-11-01',
      to: '2026-11-23',
    };
    expect(auditFormFromSearch(searchFromAuditForm(form))).toEqual(form);
    expect(searchFromAuditForm(EMPTY_AUDIT_FORM)).toBe('');
  });

  it('drops an unknown action and a malformed user id by name', () => {
    const { filters, invalid } = resolveAuditFilters({
      ...EMPTY_AUDIT_FORM,
      action: 'NOT_AN_ACTION',
      userId: 'bob',
      failuresOnly: true,
    });
    expect(filters).toEqual({ failuresOnly: true });
    expect(invalid.sort()).toEqual(['action', 'userId']);
  });
});
