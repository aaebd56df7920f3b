// The Capture view: photograph, pick or drop files (kept at once), say where they belong, save them on this device.
import { useState, type FormEvent } from 'react';
import type { SystemName } from '@fieldvault/shared/catalog';
import type { CaptureForm, SaveOutcome } from '../../capture/save-flow';
import { FileDrop } from '../field/file-drop';
import { PickedFiles, refusalsOf } from '../field/picked-files';
import { StorageNotice } from '../field/storage-notice';
import type { CaptureController } from '../hooks/use-capture';
import { TARGETS, useRememberedTarget } from '../hooks/use-remembered-target';
import { ViewLayout } from './view-layout';

/** Props for {@link CaptureView}. */
export interface CaptureViewProps {
  focusHeading: boolean;
  capture: CaptureController;
}

/** A text field's trimmed value ('' when absent). */
function textOf(data: FormData, name: string): string {
  const value = data.get(name);
  return typeof value === 'string' ? value.trim() : '';
}

function formOf(data: FormData, target: string): CaptureForm {
  const [system, objectType] = target.split('/') as [SystemName, string];
  const meta: NonNullable<CaptureForm['meta']> = {};
  for (const name of ['vendor', 'amount', 'note', 'receiptDate'] as const) {
    const value = textOf(data, name);
    if (value) meta[name] = value;
  }
  // ISO 4217 codes are upper case; people type "eur".
  const currency = textOf(data, 'currency').toUpperCase();
  if (currency) meta.currency = currency;
  return {
    system,
    objectType,
    objectId: textOf(data, 'objectId'),
    ...(Object.keys(meta).length > 0 ? { meta } : {}),
  };
}

function Outcomes({ outcomes }: { outcomes: SaveOutcome[] }) {
  return (
    <ul className="outcomes" aria-live="polite" aria-label="Save results">
      {outcomes.map((o) => (
        <li key={o.id} className={o.ok ? 'outcome--ok' : 'outcome--error'}>
          {o.filename}: {o.ok ? 'Saved on this device' : o.message}
        </li>
      ))}
    </ul>
  );
}

/** System/object type (remembered) and the object id the capture belongs to. */
function TargetFields({ target, setTarget }: { target: string; setTarget: (t: string) => void }) {
  return (
    <>
      <label>
        Type
        <select name="target" value={target} onChange={(e) => setTarget(e.target.value)}>
          {TARGETS.map((t) => (
            <option key={t} value={t}>
              {t}
            </option>
          ))}
        </select>
      </label>
      <label>
        Object id
        <input name="objectId" required maxLength={200} autoComplete="off" />
      </label>
    </>
  );
}

/** Today on this device's calendar as `YYYY-MM-DD` (what a date input holds). */
export function localToday(now = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/** The optional receipt details (shared `uploadCaptureDetails`); the receipt date starts at today. */
function DetailFields() {
  const today = localToday();
  return (
    <>
      <label>
        Receipt date (optional)
        <input name="receiptDate" type="date" defaultValue={today} max={today} min="1900-01-01" />
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
        Currency (optional, e.g. EUR)
        <input
          name="currency"
          maxLength={3}
          pattern="[A-Za-z]{3}"
          autoCapitalize="characters"
          autoComplete="off"
        />
      </label>
      <label>
        Note (optional)
        <textarea name="note" maxLength={2000} />
      </label>
    </>
  );
}

/** Submitting the form: saves every picked file, then clears the form when all of them were saved. */
function useCaptureSubmit(capture: CaptureController, target: string) {
  const [outcomes, setOutcomes] = useState<SaveOutcome[]>([]);
  const [busy, setBusy] = useState(false);
  const [nothing, setNothing] = useState(false);
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const formEl = event.currentTarget;
    const form = formOf(new FormData(formEl), target);
    setBusy(true);
    setOutcomes([]);
    setNothing(false);
    void capture.save(form).then((result) => {
      setOutcomes(result);
      setNothing(result.length === 0);
      setBusy(false);
      if (result.length > 0 && result.every((o) => o.ok)) formEl.reset();
    });
  };
  return { outcomes, busy, nothing, submit };
}

/** The capture form; reports per file whether it was saved. */
export function CaptureView({ focusHeading, capture }: CaptureViewProps) {
  const [target, setTarget] = useRememberedTarget();
  const { outcomes, busy, nothing, submit } = useCaptureSubmit(capture, target);
  return (
    <ViewLayout title="Capture" focusHeading={focusHeading}>
      <StorageNotice usage={capture.storage.usage} low={capture.storage.low} />
      <form className="form" onSubmit={submit}>
        <FileDrop onFiles={(files) => void capture.pick(files)} />
        {capture.pickError ? (
          <p className="form__error" role="alert">
            {capture.pickError}
          </p>
        ) : null}
        <PickedFiles
          drafts={capture.drafts}
          refusals={refusalsOf(outcomes)}
          onRemove={(id) => void capture.remove(id)}
        />
        <TargetFields target={target} setTarget={setTarget} />
        <DetailFields />
        <button type="submit" disabled={busy}>
          {busy ? 'Saving…' : 'Save'}
        </button>
      </form>
      {nothing ? (
        <p className="form__error" role="alert">
          Nothing saved: take a photo or pick a file first.
        </p>
      ) : null}
      <Outcomes outcomes={outcomes} />
    </ViewLayout>
  );
}
