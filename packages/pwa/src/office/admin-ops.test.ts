// Unit tests for the quota line of the Admin usage panel and the export URLs.
import { describe, expect, it } from 'vitest';
import type { AdminUsage } from '@fieldvault/shared/schemas';
import { quotaText } from './admin-ops';
import { exportUrl } from './export-link';

function usage(bytes: number, quota: AdminUsage['quota']): AdminUsage {
  return {
    org: { orgId: '0195f6a0-0000-7000-8000-0000000000aa', orgName: 'Org', count: 3, bytes },
    byType: [],
    byStatus: [],
    growth: [],
    quota,
  };
}
const ratios = { warningRatio: 0.8, criticalRatio: 0.95 };

describe('quotaText', () => {
  it('says the share used and the level', () => {
    expect(
      quotaText(
        usage(8_600_000, { bytes: 10_000_000, usedRatio: 0.86, level: 'warning', ...ratios }),
      ),
    ).toBe('8.6 MB of 10 MB (86 %) — Warning: over 80 % of the quota');
    expect(
      quotaText(usage(1_200, { bytes: null, usedRatio: null, level: 'none', ...ratios })),
    ).toBe('1.2 kB stored — No quota set');
  });
});

describe('exportUrl', () => {
  it('carries the on-screen filters as URL-encoded JSON, and nothing without filters', () => {
    expect(exportUrl('files', {})).toBe('/api/files/export.zip');
    expect(exportUrl('files', { objectId: 'trip-42' })).toBe(
      '/api/files/export.zip?filters=%7B%22objectId%22%3A%22trip-42%22%7D',
    );
    expect(exportUrl('audit', { failuresOnly: true })).toBe(
      '/api/audit/export.csv?filters=%7B%22failuresOnly%22%3Atrue%7D',
    );
  });
});
