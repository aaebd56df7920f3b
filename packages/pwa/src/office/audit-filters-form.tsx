// The audit log's filter form: user, action, date range and failures only, applied to the URL on submit.
import { useState, type FormEvent } from 'react';
import { auditAction } from '@fieldvault/shared/schemas';
import { searchFromAuditForm, type AuditForm } from './audit-filters';
import { actionLabel } from './audit-format';
import type { UploaderOption } from './file-filters-form';
import { goTo } from './use-url';

interface FieldProps {
  form: AuditForm;
  update: (changes: Partial<AuditForm>) => void;
}

/** Admins pick from the org's users; auditors (who cannot list users) type a user id from a log row. */
function UserField({
  form,
  update,
  users,
  meId,
}: FieldProps & { users: readonly UploaderOption[]; meId: string }) {
  if (users.length === 0)
    return (
      <label>
        User id
        <input
          value={form.userId}
          placeholder={`e.g. ${meId}`}
          onChange={(e) => update({ userId: e.target.value })}
        />
      </label>
    );
  return (
    <label>
      User
      <select value={form.userId} onChange={(e) => update({ userId: e.target.value })}>
        <option value="">Anyone</option>
        {users.map((u) => (
          <option key={u.id} value={u.id}>
            {u.name} ({u.email})
          </option>
        ))}
      </select>
    </label>
  );
}

function RangeAndFailures({ form, update }: FieldProps) {
  return (
    <>
      <label>
        From
        <input type="date" value={form.from} onChange={(e) => update({ from: e.target.value })} />
      </label>
      <label>
        To
        <input type="date" value={form.to} onChange={(e) => update({ to: e.target.value })} />
      </label>
      <label className="office-check">
        <input
          type="checkbox"
          checked={form.failuresOnly}
          onChange={(e) => update({ failuresOnly: e.target.checked })}
        />
        Failures only
      </label>
    </>
  );
}

/** Props for {@link AuditFiltersForm}; remount it (`key`) when the URL changes. */
export interface AuditFiltersFormProps {
  initial: AuditForm;
  meId: string;
  users: readonly UploaderOption[];
}

/** The form; submitting puts the filters in the URL (`/audit?action=FILE_DELETED`). */
export function AuditFiltersForm({ initial, meId, users }: AuditFiltersFormProps) {
  const [form, setForm] = useState(initial);
  const update = (changes: Partial<AuditForm>) => setForm((prev) => ({ ...prev, ...changes }));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    goTo(`/audit${searchFromAuditForm(form)}`);
  };
  return (
    <form
      className="office-filters"
      role="search"
      aria-label="Filter the audit log"
      onSubmit={submit}
    >
      <UserField form={form} update={update} users={users} meId={meId} />
      <label>
        Action
        <select value={form.action} onChange={(e) => update({ action: e.target.value })}>
          <option value="">Any action</option>
          {auditAction.options.map((a) => (
            <option key={a} value={a}>
              {actionLabel(a)}
            </option>
          ))}
        </select>
      </label>
      <RangeAndFailures form={form} update={update} />
      <div className="office-filters__buttons">
        <button type="submit" className="office-button">
          Apply filters
        </button>
      </div>
    </form>
  );
}
