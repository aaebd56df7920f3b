// Unit tests: the file actions offered per role and state mirror the server's rules.
import { describe, expect, it } from 'vitest';
import { fileActionsFor, may } from './permissions';

const NOW = Date.parse('2026-11-23T12:00:00.000Z');
const offered = (
  role: Parameters<typeof fileActionsFor>[0],
  status: 'verified' | 'mismatch' | 'deleted' | 'pending' | 'missing' | 'purged',
  retentionUntil: string | null = null,
) =>
  fileActionsFor(role, { status, retentionUntil }, NOW).map((a) =>
    a.blockedBy ? `${a.action}!` : a.action,
  );

describe('fileActionsFor', () => {
  it('offers nothing on a purged file (a record without bytes) and only Verify now on a missing one', () => {
    for (const role of ['office', 'admin', 'auditor'] as const)
      expect(offered(role, 'purged')).toEqual([]);
    expect(offered('office', 'missing')).toEqual(['verify']);
    expect(offered('admin', 'missing')).toEqual(['verify']);
    expect(offered('auditor', 'missing')).toEqual([]);
  });

  it('gives auditors and field staff no file changes at all', () => {
    for (const role of ['auditor', 'field'] as const) {
      for (const status of ['verified', 'mismatch', 'deleted', 'pending'] as const)
        expect(offered(role, status)).toEqual([]);
    }
  });

  it('lets office staff verify and delete stored files and restore deleted ones, never purge', () => {
    expect(offered('office', 'verified')).toEqual(['verify', 'delete']);
    expect(offered('office', 'deleted')).toEqual(['restore']);
    expect(offered('office', 'pending')).toEqual([]);
  });

  it('lets admins purge deleted or mismatched files, blocked while retention runs', () => {
    expect(offered('admin', 'deleted')).toEqual(['restore', 'purge']);
    expect(offered('admin', 'mismatch')).toEqual(['verify', 'delete', 'purge']);
    expect(offered('admin', 'deleted', '2033-11-23T00:00:00.000Z')).toEqual(['restore', 'purge!']);
    expect(
      fileActionsFor(
        'admin',
        { status: 'deleted', retentionUntil: '2033-11-23T00:00:00.000Z' },
        NOW,
      )[1]?.blockedBy,
    ).toBe('retention runs until 2033-11-23');
    expect(offered('admin', 'deleted', '2020-01-01T00:00:00.000Z')).toEqual(['restore', 'purge']);
  });

  it("reads a file's trail as office, admin or auditor; field staff never", () => {
    expect(
      ['field', 'office', 'admin', 'auditor'].filter((r) => may(r as 'field', 'files.history')),
    ).toEqual(['office', 'admin', 'auditor']);
  });

  it('reads the audit log as admin or auditor only', () => {
    expect(
      ['field', 'office', 'admin', 'auditor'].filter((r) => may(r as 'field', 'audit.read')),
    ).toEqual(['admin', 'auditor']);
  });
});
