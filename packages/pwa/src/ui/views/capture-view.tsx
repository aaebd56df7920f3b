// The Capture view: pick or photograph files, say where they belong, save them on this device.
import { useState, type FormEvent } from 'react';
import { catalog, type SystemName } from '@fieldvault/shared/catalog';
import type { CaptureForm, SaveOutcome } from '../../capture/save-flow';
import { ViewLayout } from './view-layout';

/** Props for {@link CaptureView}. */
export interface CaptureViewProps {
  focusHeading: boolean;
  save: (files: File[], form: CaptureForm) => Promise<SaveOutcome[]>;
}

const TARGETS = Object.entries(catalog).flatMap(([system, types]) =>
  Object.keys(types).map((objectType) => `${system}/${objectType}`),
);

/** A text field's trimmed value ('' when absent). */
function textOf(data: FormData, name: string): string {
  const value = data.get(name);
  return typeof value === 'string' ? value.trim() : '';
}

function detailsOf(data: FormData): CaptureForm['meta'] {
  const meta: NonNullable<CaptureForm['meta']> = {};
  const text = (name: string) => textOf(data, name);
  if (text('vendor')) meta.vendor = text('vendor');
  if (text('amount')) meta.amount = text('amount');
  if (text('note')) meta.note = text('note');
  return Object.keys(meta).length > 0 ? meta : undefined;
}

/** The capture form; reports per file whether it was saved. */
export function CaptureView({ focusHeading, save }: CaptureViewProps) {
  const [outcomes, setOutcomes] = useState<SaveOutcome[]>([]);
  const [busy, setBusy] = useState(false);

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const formEl = event.currentTarget;
    const data = new FormData(formEl);
    const files = data.getAll('files').filter((f): f is File => f instanceof File && f.size > 0);
    const [system, objectType] = textOf(data, 'target').split('/') as [SystemName, string];
    const meta = detailsOf(data);
    const form: CaptureForm = {
      system,
      objectType,
      objectId: textOf(data, 'objectId'),
      ...(meta ? { meta } : {}),
    };
    setBusy(true);
    setOutcomes([]);
    void save(files, form).then((result) => {
      setOutcomes(result);
      setBusy(false);
      if (result.every((o) => o.ok)) formEl.reset();
    });
  };

  return (
    <ViewLayout title="Capture" focusHeading={focusHeading}>
      <form className="form" onSubmit={submit}>
        <label>
          Photos or PDFs
          <input
            name="files"
            type="file"
            accept="image/*,application/pdf"
            capture="environment"
            multiple
            required
          />
        </label>
        <label>
          Type
          <select name="target" defaultValue="accounting/receipt">
            {TARGETS.map((t) => (
              <option key={t} value={t}>
                {t}
              </option>
            ))}
          </select>
        </label>
        <label>
          Object id
          <input name="objectId" required maxLength={200} />
        </label>
        <label>
          Vendor (optional)
          <input name="vendor" maxLength={200} />
        </label>
        <label>
          Amount (optional)
          <input name="amount" inputMode="decimal" pattern="-?\d{1,12}(\.\d{1,4})?" />
        </label>
        <label>
          Note (optional)
          <textarea name="note" maxLength={2000} />
        </label>
        <button type="submit" disabled={busy}>
          {busy ? 'Saving…' : 'Save'}
        </button>
      </form>
      <ul className="outcomes" aria-live="polite" aria-label="Save results">
        {outcomes.map((o, i) => (
          <li key={`${o.filename}-${i}`} className={o.ok ? 'outcome--ok' : 'outcome--error'}>
            {o.filename}: {o.ok ? 'Saved on this device' : o.message}
          </li>
        ))}
      </ul>
    </ViewLayout>
  );
}
