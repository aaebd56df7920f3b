// The Files filter form: edits a copy of the URL's filters and applies them to the URL on submit.
import { useId, useState, type FormEvent } from 'react';
import { listObjectTypes, SYSTEMS } from '@fieldvault/shared/catalog';
import { EMPTY_FORM, type FilterForm } from './file-filters';

const STATUSES = [
  ['', 'Any (not deleted)'],
  ['verified', 'Verified'],
  ['mismatch', 'Mismatch'],
  ['pending', 'Uploading'],
  ['deleted', 'Deleted'],
] as const;

/** Props for {@link FileFiltersForm}; remount it (`key`) when the URL changes so it shows the URL's values. */
export interface FileFiltersFormProps {
  initial: FilterForm;
  /** The signed-in user's id, offered as "Uploaded by me". */
  meId: string;
  apply: (form: FilterForm) => void;
}

/** Text search, catalogue selects, object id, uploader, status, date range and "duplicates only". */
export function FileFiltersForm({ initial, meId, apply }: FileFiltersFormProps) {
  const [form, setForm] = useState(initial);
  const id = useId();
  const set = <K extends keyof FilterForm>(field: K, value: FilterForm[K]) =>
    setForm((prev) => ({ ...prev, [field]: value }));
  const types = listObjectTypes().filter((t) => form.system === '' || t.system === form.system);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    apply(form);
  };
  return (
    <form className="office-filters" role="search" aria-label="Filter files" onSubmit={submit}>
      <label>
        Search
        <input
          type="search"
          value={form.text}
          placeholder="Filename or vendor"
          onChange={(e) => set('text', e.target.value)}
        />
      </label>
      <label>
        System
        <select
          value={form.system}
          onChange={(e) => setForm((p) => ({ ...p, system: e.target.value, objectType: '' }))}
        >
          <option value="">Any system</option>
          {SYSTEMS.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
      </label>
      <label>
        Object type
        <select value={form.objectType} onChange={(e) => set('objectType', e.target.value)}>
          <option value="">Any type</option>
          {[...new Set(types.map((t) => t.objectType))].map((t) => (
            <option key={t} value={t}>
              {t}
            </option>
          ))}
        </select>
      </label>
      <label>
        Object id
        <input value={form.objectId} onChange={(e) => set('objectId', e.target.value)} />
      </label>
      <label>
        Uploader
        <select value={form.uploadedBy} onChange={(e) => set('uploadedBy', e.target.value)}>
          <option value="">Anyone</option>
          <option value={meId}>Me</option>
          {form.uploadedBy !== '' && form.uploadedBy !== meId ? (
            <option value={form.uploadedBy}>User {form.uploadedBy.slice(0, 8)}…</option>
          ) : null}
        </select>
      </label>
      <label>
        Status
        <select value={form.status} onChange={(e) => set('status', e.target.value)}>
          {STATUSES.map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
      </label>
      <label>
        Dates are
        <select
          value={form.dateField}
          onChange={(e) =>
            set('dateField', e.target.value === 'captured' ? 'captured' : 'received')
          }
        >
          <option value="received">Received</option>
          <option value="captured">Captured</option>
        </select>
      </label>
      <label>
        From
        <input type="date" value={form.from} onChange={(e) => set('from', e.target.value)} />
      </label>
      <label>
        To
        <input type="date" value={form.to} onChange={(e) => set('to', e.target.value)} />
      </label>
      <label className="office-check" htmlFor={`${id}-dup`}>
        <input
          id={`${id}-dup`}
          type="checkbox"
          checked={form.duplicatesOnly}
          onChange={(e) => set('duplicatesOnly', e.target.checked)}
        />
        Duplicates only
      </label>
      <div className="office-filters__buttons">
        <button type="submit" className="office-button">
          Apply filters
        </button>
        <button
          type="button"
          className="office-button office-button--quiet"
          onClick={() => apply(EMPTY_FORM)}
        >
          Clear
        </button>
      </div>
    </form>
  );
}
