// The Files filters as the URL query string carries them, the form edits them and files.list receives them.
import {
  filesListFilters,
  type FilesListFilters,
  type FilesSort,
} from '@fieldvault/shared/schemas';

/** What the filter form holds: strings as inputs give them ('' = not set). */
export interface FilterForm {
  text: string;
  system: string;
  objectType: string;
  objectId: string;
  uploadedBy: string;
  status: string;
  dateField: 'received' | 'captured';
  /** `YYYY-MM-DD` in the user's time zone, inclusive. */
  from: string;
  to: string;
  duplicatesOnly: boolean;
  /** The list's order (`?sort=captured`; newest received when absent). Not a filter: it never narrows. */
  sort: FilesSort;
}

/** The form with nothing set: every file except deleted ones. */
export const EMPTY_FORM: FilterForm = {
  text: '',
  system: '',
  objectType: '',
  objectId: '',
  uploadedBy: '',
  status: '',
  dateField: 'received',
  from: '',
  to: '',
  duplicatesOnly: false,
  sort: 'received',
};

/** Query-string names, short so shared links stay readable; order here is the order in the URL. */
const PARAM: Record<Exclude<keyof FilterForm, 'dateField' | 'duplicatesOnly' | 'sort'>, string> = {
  text: 'q',
  system: 'system',
  objectType: 'type',
  objectId: 'object',
  uploadedBy: 'uploader',
  status: 'status',
  from: 'from',
  to: 'to',
};

/** Reads the form from a query string (`?q=taxi&system=accounting`); unknown parameters are ignored. */
export function formFromSearch(search: string): FilterForm {
  const params = new URLSearchParams(search);
  const form: FilterForm = { ...EMPTY_FORM };
  for (const [field, name] of Object.entries(PARAM) as [keyof typeof PARAM, string][]) {
    form[field] = params.get(name)?.trim() ?? '';
  }
  form.dateField = params.get('date') === 'captured' ? 'captured' : 'received';
  form.duplicatesOnly = params.get('dup') === '1';
  form.sort = params.get('sort') === 'captured' ? 'captured' : 'received';
  return form;
}

/** The query string for a form (`''` when nothing is set), so equal filters always give equal URLs. */
export function searchFromForm(form: FilterForm): string {
  const params = new URLSearchParams();
  for (const [field, name] of Object.entries(PARAM) as [keyof typeof PARAM, string][]) {
    const value = form[field].trim();
    if (value !== '') params.set(name, value);
  }
  if (form.dateField === 'captured' && (form.from !== '' || form.to !== ''))
    params.set('date', 'captured');
  if (form.duplicatesOnly) params.set('dup', '1');
  if (form.sort === 'captured') params.set('sort', 'captured');
  const query = params.toString();
  return query === '' ? '' : `?${query}`;
}

/** Start (or end) of a local calendar day as an ISO instant; undefined for anything but `YYYY-MM-DD`. */
export function dayBound(day: string, end: boolean): string | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!match) return undefined;
  const [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = end ? new Date(y, m - 1, d, 23, 59, 59, 999) : new Date(y, m - 1, d);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

function candidate(form: FilterForm): Record<string, unknown> {
  const from = dayBound(form.from, false);
  const to = dayBound(form.to, true);
  const raw: Record<string, unknown> = {
    text: form.text.trim() || undefined,
    system: form.system || undefined,
    objectType: form.objectType || undefined,
    objectId: form.objectId.trim() || undefined,
    uploadedBy: form.uploadedBy || undefined,
    status: form.status || undefined,
    from,
    to,
    dateField: (from ?? to) && form.dateField === 'captured' ? 'captured' : undefined,
    duplicatesOnly: form.duplicatesOnly || undefined,
  };
  return Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== undefined));
}

/** The files.list filters for a form, and the fields left out because their value is not valid. */
export interface ResolvedFilters {
  filters: FilesListFilters;
  invalid: string[];
}

/**
 * Checks the form with the server's own schema; a field the schema refuses (a hand-edited link, an object
 * id with spaces) is dropped and named, so the list still answers for the rest instead of failing whole.
 */
export function resolveFilters(form: FilterForm): ResolvedFilters {
  const raw = candidate(form);
  const invalid: string[] = [];
  for (let attempt = 0; attempt < 4; attempt += 1) {
    const parsed = filesListFilters.safeParse(raw);
    if (parsed.success) return { filters: parsed.data, invalid };
    for (const issue of parsed.error.issues) {
      const field = String(issue.path[0] ?? '');
      if (field in raw) delete raw[field];
      if (field && !invalid.includes(field)) invalid.push(field);
    }
  }
  return { filters: {}, invalid };
}

/** How many filters are active (for the "Filters (3)" summary). */
export function activeFilterCount(filters: FilesListFilters): number {
  return Object.keys(filters).filter((k) => k !== 'dateField').length;
}
