// Unit tests for the integrity badge wording and verdicts.
import { describe, expect, it } from 'vitest';
import { integrityBadges } from './integrity';

const UTC = { timeZone: 'UTC' };
const verified = {
  status: 'verified' as const,
  verifiedAt: '2026-11-23T14:03:27.000Z',
  capturedAt: '2026-11-23T09:12:05.000Z',
  receivedAt: '2026-11-23T14:03:20.000Z',
  deviceLabel: 'Pixel 7 (Jane)',
  duplicateOf: null,
};

describe('integrityBadges', () => {
  it('says when the server verified the bytes and which device hash they match', () => {
    expect(integrityBadges(verified, UTC)).toEqual([
      {
        kind: 'verified',
        tone: 'ok',
        text: "SHA-256 verified at 14:03 — matches the device hash captured 09:12 on device 'Pixel 7 (Jane)'",
      },
    ]);
  });

  it('dates a capture from another day, and leaves out an unknown device', () => {
    const [badge] = integrityBadges(
      { ...verified, capturedAt: '2026-11-20T08:00:00.000Z', deviceLabel: null },
      UTC,
    );
    expect(badge?.text).toBe(
      'SHA-256 verified at 14:03 — matches the device hash captured 2026-11-20 08:00',
    );
  });

  it('flags a mismatch, also once such a file is deleted, but keeps a deleted verified file verified', () => {
    const mismatch = { ...verified, status: 'mismatch' as const, verifiedAt: null };
    expect(integrityBadges(mismatch, UTC)[0]).toMatchObject({ kind: 'mismatch', tone: 'danger' });
    expect(integrityBadges({ ...mismatch, status: 'deleted' }, UTC)[0]?.kind).toBe('mismatch');
    expect(integrityBadges({ ...verified, status: 'deleted' }, UTC)[0]?.kind).toBe('verified');
    expect(integrityBadges(mismatch, UTC)[0]?.text).toContain("on device 'Pixel 7 (Jane)'");
  });

  it('calls a mismatch a mismatch even if the file had been verified before', () => {
    const reverified = { ...verified, status: 'mismatch' as const };
    expect(integrityBadges(reverified, UTC)[0]?.kind).toBe('mismatch');
  });

  it('says an unfinished upload is not verified yet', () => {
    const pending = { ...verified, status: 'pending' as const, verifiedAt: null };
    expect(integrityBadges(pending, UTC)).toEqual([
      expect.objectContaining({ kind: 'pending', tone: 'pending' }),
    ]);
  });

  it('adds a duplicate badge linking to the file that had the bytes first', () => {
    const dup = { ...verified, duplicateOf: '0195f6a0-0000-7000-8000-000000000001' };
    const badges = integrityBadges(dup, UTC);
    expect(badges.map((b) => b.kind)).toEqual(['verified', 'duplicate']);
    expect(badges[1]?.link).toEqual({
      to: '/files/0195f6a0-0000-7000-8000-000000000001',
      label: 'Open the original',
    });
  });

  it('lists exact and possible duplicates from files.get, each linking to the other file, told apart by tone', () => {
    const other = {
      capturedAt: '2026-11-23T09:00:00.000Z',
      receivedAt: '2026-11-23T09:05:00.000Z',
      status: 'verified' as const,
    };
    const withDuplicates = {
      ...verified,
      duplicateOf: '0195f6a0-0000-7000-8000-000000000001',
      duplicates: {
        exact: [
          {
            ...other,
            id: '0195f6a0-0000-7000-8000-000000000001',
            kind: 'exact' as const,
            label: 'Exact duplicate: the same bytes (SHA-256)',
            originalFilename: 'a.jpg',
            vendor: null,
            amount: null,
          },
        ],
        possible: [
          {
            ...other,
            id: '0195f6a0-0000-7000-8000-000000000002',
            kind: 'possible' as const,
            label: 'Possible duplicate: same amount and date, similar vendor',
            originalFilename: 'b.jpg',
            vendor: 'Taxi Oslo',
            amount: '412.00',
          },
        ],
      },
    };
    const badges = integrityBadges(withDuplicates, UTC);
    expect(badges.map((b) => `${b.kind}/${b.tone}`)).toEqual([
      'verified/ok',
      'duplicate/pending',
      'possible-duplicate/warning',
    ]);
    expect(badges[2]?.text).toBe(
      'Possible duplicate: same amount and date, similar vendor — b.jpg (Taxi Oslo, 412.00)',
    );
    expect(badges[2]?.link).toEqual({
      to: '/files/0195f6a0-0000-7000-8000-000000000002',
      label: 'Open b.jpg',
    });
  });
});
