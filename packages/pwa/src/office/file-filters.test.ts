// Unit tests: filters survive the round trip through the URL, and invalid values are dropped by name.
import { describe, expect, it } from 'vitest';
import {
  activeFilterCount,
  dayBound,
  EMPTY_FORM,
  formFromSearch,
  resolveFilters,
  searchFromForm,
} from './file-filters';

describe('filters in the URL', () => {
  it('round-trips a full form through the query string', () => {
    const form = {
      ...EMPTY_FORM,
      text: 'taxi',
      system: 'accounting',
      objectType: 'receipt',
      objectId: 'trip-42',
      status: 'verified',
      dateField: 'captured' as const,
      from: '2026-03-01',
      to: '2026-03-31',
      duplicatesOnly: true,
    };
    const search = searchFromForm(form);
    expect(search).toBe(
      '?q=taxi&system=accounting&type=receipt&object=trip-42&status=verified&from=2026-03-01&to=2026-03-31&date=captured&dup=1',
    );
    expect(formFromSearch(search)).toEqual(form);
  });

  it('gives the empty string for no filters, and the empty form for an empty or foreign query', () => {
    expect(searchFromForm(EMPTY_FORM)).toBe('');
    expect(formFromSearch('')).toEqual(EMPTY_FORM);
    expect(formFromSearch('?utm_source=mail&dup=yes')).toEqual(EMPTY_FORM);
  });

  it('keeps the sort in the URL only when it is not the default, and reads anything else as received', () => {
    expect(searchFromForm({ ...EMPTY_FORM, sort: 'captured' })).toBe('?sort=captured');
    expect(searchFromForm({ ...EMPTY_FORM, objectId: 'trip-1', sort: 'captured' })).toBe(
      '?object=trip-1&sort=captured',
    );
    expect(formFromSearch('?sort=captured').sort).toBe('captured');
    expect(formFromSearch('?sort=oldest').sort).toBe('received');
    expect(searchFromForm(formFromSearch('?sort=received'))).toBe('');
  });

  it('leaves the date field out of the URL when no date bounds it', () => {
    expect(searchFromForm({ ...EMPTY_FORM, dateField: 'captured' })).toBe('');
  });
});

describe('resolveFilters', () => {
  it('turns local days into inclusive ISO bounds on the chosen date field', () => {
    const { filters, invalid } = resolveFilters({
      ...EMPTY_FORM,
      from: '2026-03-01',
      to: '2026-03-01',
      dateField: 'captured',
    });
    expect(invalid).toEqual([]);
    expect(filters.dateField).toBe('captured');
    expect(Date.parse(filters.to ?? '') - Date.parse(filters.from ?? '')).toBe(86_400_000 - 1);
  });

  it('drops and names the fields the server schema would refuse, keeping the rest', () => {
    const { filters, invalid } = resolveFilters({
      ...EMPTY_FORM,
      objectId: 'has spaces',
      system: 'accounting',
      uploadedBy: 'not-a-uuid',
    });
    expect(filters).toEqual({ system: 'accounting' });
    expect(invalid.sort()).toEqual(['objectId', 'uploadedBy']);
    expect(activeFilterCount(filters)).toBe(1);
  });

  it('refuses a range that ends before it starts', () => {
    const { filters, invalid } = resolveFilters({
      ...EMPTY_FORM,
      from: '2026-03-02',
      to: '2026-03-01',
    });
    expect(invalid).toEqual(['to']);
    expect(filters.to).toBeUndefined();
    expect(filters.from).toBe(dayBound('2026-03-02', false));
  });

  it('ignores days that are not YYYY-MM-DD', () => {
    expect(dayBound('01/03/2026', false)).toBeUndefined();
  });
});
