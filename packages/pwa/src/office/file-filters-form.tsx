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
  ['missing', 'Missing from storage'],
  ['purged', 'Purged (record only)'],
] as const;

/** A user the uploader filter can offer. */
export interface UploaderOption {
  id: string;
  name: string;
  email: string;
}

/** What each group of fields edits. */
interface FieldsProps {
  form: FilterForm;
  update: (changes: Partial<FilterForm>) => void;
}

function CatalogFields({ form, update }: FieldsProps) {
  const types = listObjectTypes().filter((t) => form.system === '' || t.system === form.system);
  return (
    <>
      <label>
        System
        <select
          value={form.system}
          // A type belongs to one system: changing the system clears it.
          onChange={(e) => update({ system: e.target.value, objectType: '' })}
        >
          <option value="">Any system</option>
          {SYSTEMS.map((s) => (
            <option key={s}>{s}</option>
          ))}
        </select>
      </label>
      <label>
        Object type
        <select value={form.objectType} onChange={(e) => update({ objectType: e.target.value })}>
          <option value="">Any type</option>
          {[...new Set(types.map((t) => t.objectType))].map((t) => (
            <option key={t}>{t}</option>
          ))}
        </select>
      </label>
    </>
  );
}

function UploaderField({
  form,
  update,
  meId,
  users,
}: FieldsProps & { meId: string; users: readonly UploaderOption[] }) {
  const others = users.filter((u) => u.id !== meId);
  // A shared link may name someone this role cannot list: keep it selectable rather than dropping it.
  const unknown =
    form.uploadedBy !== '' &&
    form.uploadedBy !== meId &&
    !others.some((u) => u.id === form.uploadedBy);
  return (
    <label>
      Uploader
      <select value={form.uploadedBy} onChange={(e) => update({ uploadedBy: e.target.value })}>
        <option value="">Anyone</option>
        <option value={meId}>Me</option>
        {others.map((u) => (
          <option key={u.id} value={u.id}>
            {u.name} ({u.email})
          </option>
        ))}
        {unknown ? (
          <option value={form.uploadedBy}>User {form.uploadedBy.slice(0, 8)}…</option>
        ) : null}
      </select>
    </label>
  );
}

function StatusAndDates({ form, update }: FieldsProps) {
  return (
    <>
      <label>
        Status
        <select value={form.status} onChange={(e) => update({ status: e.target.value })}>
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
            update({ dateField: e.target.value === 'captured' ? 'captured' : 'received' })
          }
        >
          <option value="received">Received</option>
          <option value="captured">Captured</option>
        </select>
      </label>
      <label>
        Sort by
        <select
          value={form.sort}
          onChange={(e) =>
            update({ sort: e.target.value === 'captured' ? 'captured' : 'received' })
          }
        >
          <option value="received">Newest received</option>
          <option value="captured">Newest captured</option>
        </select>
      </label>
      <label>
        From
        <input type="date" value={form.from} onChange={(e) => update({ from: e.target.value })} />
      </label>
      <label>
        To
        <input type="date" value={form.to} onChange={(e) => update({ to: e.target.value })} />
      </label>
    </>
  );
}

/** Props for {@link FileFiltersForm}; remount it (`key`) when the URL changes so it shows the URL's values. */
export interface FileFiltersFormProps {
  initial: FilterForm;
  /** The signed-in user's id, offered as "Uploaded by me". */
  meId: string;
  /** Everyone in the org, when the role may list users (admins); others choose between anyone and me. */
  users: readonly UploaderOption[];
  apply: (form: FilterForm) => void;
}

/** Text search, catalogue selects, object id, uploader, status, date range and "duplicates only". */
export function FileFiltersForm({ initial, meId, users, apply }: FileFiltersFormProps) {
  const [form, setForm] = useState(initial);
  const id = useId();
  const update = (changes: Partial<FilterForm>) => setForm((prev) => ({ ...prev, ...changes }));
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
          placeholder="Filename, vendor or note"
          onChange={(e) => update({ text: e.target.value })}
        />
      </label>
      <CatalogFields form={form} update={update} />
      <label>
        Object id
        <input value={form.objectId} onChange={(e) => update({ objectId: e.target.value })} />
      </label>
      <UploaderField form={form} update={update} meId={meId} users={users} />
      <StatusAndDates form={form} update={update} />
      <label className="office-check" htmlFor={`${id}-dup`}>
        <input
          id={`${id}-dup`}
          type="checkbox"
          checked={form.duplicatesOnly}
          onChange={(e) => update({ duplicatesOnly: e.target.checked })}
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
