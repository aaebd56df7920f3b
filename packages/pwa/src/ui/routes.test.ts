// Unit tests for section lookup by path.
import { describe, expect, it } from 'vitest';
import { findSection, HOME_PATH, SECTIONS } from './routes';

describe('findSection', () => {
  it('matches a section and its sub-paths, not look-alike prefixes', () => {
    expect(findSection('/outbox')?.label).toBe('Outbox');
    expect(findSection('/files/123')?.label).toBe('Files');
    expect(findSection('/filesystem')).toBeUndefined();
    expect(findSection('/')).toBeUndefined();
  });

  it('has a home that is one of the sections', () => {
    expect(SECTIONS.map((s) => s.path)).toContain(HOME_PATH);
  });
});
