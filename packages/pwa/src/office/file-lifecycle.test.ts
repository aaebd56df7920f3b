// Unit tests: a purged or missing file's notice names when, by whom and what it means, from the audit trail.
import { describe, expect, it } from 'vitest';
import type { FileHistoryEntry } from '@fieldvault/shared/schemas';
import { lifecycleText, missingSince } from './file-lifecycle';
import { formatDateTime } from './format';

const ADMIN_ID = '0195f6a0-0000-7000-8000-0000000000cc';
let seq = 0;
function event(at: string, part: Partial<FileHistoryEntry>): FileHistoryEntry {
  seq += 1;
  return {
    id: `0195f6a0-0000-7000-8000-${String(seq).padStart(12, '0')}`,
    seq,
    at,
    deviceAt: null,
    action: 'FILE_VERIFIED',
    actorId: null,
    actorRole: null,
    deviceLabel: null,
    ip: null,
    success: true,
    errorCode: null,
    details: {},
    ...part,
  };
}
const T1 = '2026-12-01T09:00:00.000Z';
const T2 = '2026-12-02T10:30:00.000Z';
const T3 = '2026-12-03T11:45:00.000Z';

describe('lifecycleText', () => {
  it('purged by an admin: when, by whom, and that the record and its trail stay', () => {
    const trail = [
      event(T3, { action: 'FILE_PURGED', actorId: ADMIN_ID, actorRole: 'admin' }),
      event(T2, { action: 'FILE_DELETED', actorId: ADMIN_ID, actorRole: 'admin' }),
    ];
    const names = new Map([[ADMIN_ID, 'Jane Admin']]);
    expect(lifecycleText({ status: 'purged' }, trail, { names })).toBe(
      `Purged on ${formatDateTime(T3)} by Jane Admin (admin) — the bytes are gone; this record and its audit trail stay.`,
    );
  });

  it('purged by the purge job (no user acted); a refused purge attempt is not the purge', () => {
    const trail = [
      event(T3, { action: 'FILE_PURGED' }),
      event(T2, { action: 'FILE_PURGED', success: false, errorCode: 'RETENTION_LOCKED' }),
    ];
    expect(lifecycleText({ status: 'purged' }, trail)).toBe(
      `Purged on ${formatDateTime(T3)} by the purge job — the bytes are gone; this record and its audit trail stay.`,
    );
    expect(lifecycleText({ status: 'purged' }, [])).toBe(
      'Purged — the bytes are gone; this record and its audit trail stay.',
    );
  });

  it('missing: since the first finding after the bytes were last found, and what to do', () => {
    const trail = [
      event(T3, { success: false, errorCode: 'OBJECT_MISSING', details: { finding: 'missing' } }),
      event(T2, { action: 'RECONCILE_REPAIRED', details: { finding: 'missing' } }),
      event(T1, { action: 'FILE_VERIFIED' }),
    ];
    expect(missingSince(trail)).toBe(T2);
    expect(lifecycleText({ status: 'missing' }, trail)).toMatch(
      new RegExp(
        `^Missing from storage since ${formatDateTime(T2)} — .*cannot be downloaded.*Verify now`,
      ),
    );
    expect(lifecycleText({ status: 'missing' }, [])).toMatch(/^Missing from storage — /);
  });

  it('says nothing for files whose bytes are stored', () => {
    for (const status of ['verified', 'mismatch', 'deleted', 'pending'] as const)
      expect(lifecycleText({ status }, [])).toBeNull();
  });
});
