// Unit tests for section lookup by path and the role rules of the navigation.
import { describe, expect, it } from 'vitest';
import { findSection, homeFor, HOME_PATH, sectionAllowed, SECTIONS, sectionsFor } from './routes';

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

describe('sections by role', () => {
  const labels = (role: Parameters<typeof sectionsFor>[0]) => sectionsFor(role).map((s) => s.label);

  it('gives field staff Capture and Outbox only', () => {
    expect(labels('field')).toEqual(['Capture', 'Outbox']);
  });

  it('gives the office desk Files, auditors Files and Audit, admins everything', () => {
    expect(labels('office')).toEqual(['Capture', 'Outbox', 'Files']);
    expect(labels('auditor')).toEqual(['Files', 'Audit']);
    expect(labels('admin')).toEqual(['Capture', 'Outbox', 'Files', 'Audit', 'Admin']);
  });

  it('refuses office screens to field staff and sends each role to its first section', () => {
    const files = findSection('/files/abc');
    expect(files && sectionAllowed(files, 'field')).toBe(false);
    expect(files && sectionAllowed(files, 'auditor')).toBe(true);
    expect(homeFor('auditor')?.path).toBe('/files');
    expect(homeFor('field')?.path).toBe('/capture');
  });
});
