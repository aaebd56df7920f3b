// The confirmation before a capture is discarded: names the receipt, says the bytes go for good, nothing happens on Cancel.
import { useEffect, useRef, useState } from 'react';
import type { CaptureRecord } from '../../outbox/schema';
import { captureName } from './capture-labels';

/** Props for {@link DiscardDialog}. */
export interface DiscardDialogProps {
  capture: CaptureRecord;
  /** Deletes the capture; the dialog stays open with the error in words if it rejects. */
  onConfirm: () => Promise<void>;
  /** Closes the dialog (Cancel, Escape). */
  onClose: () => void;
}

/** Runs the confirmed action, keeping the dialog open with the error in words when it fails. */
function useConfirmAction(onConfirm: () => Promise<void>) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const confirm = () => {
    setBusy(true);
    setError(null);
    onConfirm().catch((err: unknown) => {
      setError(err instanceof Error ? err.message : 'The capture could not be discarded.');
      setBusy(false);
    });
  };
  return { busy, error, confirm };
}

/**
 * A modal `<dialog>`: the browser traps focus inside and closes it on Escape. Focus starts on "Keep it", so
 * an accidental Enter keeps the receipt.
 */
export function DiscardDialog({ capture, onConfirm, onClose }: DiscardDialogProps) {
  const dialog = useRef<HTMLDialogElement>(null);
  const cancel = useRef<HTMLButtonElement>(null);
  const { busy, error, confirm } = useConfirmAction(onConfirm);
  useEffect(() => {
    const el = dialog.current;
    if (el && !el.open) el.showModal();
    cancel.current?.focus();
    return () => el?.close();
  }, []);
  return (
    <dialog
      ref={dialog}
      className="dialog"
      aria-labelledby="discard-title"
      aria-describedby="discard-body"
      onClose={onClose}
    >
      <h2 id="discard-title">Discard {capture.filename}?</h2>
      <p id="discard-body">
        {captureName(capture)} has not reached the server. Discarding deletes it from this device
        for good; it will never be uploaded.
      </p>
      {error ? (
        <p className="form__error" role="alert">
          {error}
        </p>
      ) : null}
      <div className="dialog__actions">
        <button ref={cancel} type="button" onClick={() => dialog.current?.close()}>
          Keep it
        </button>
        <button type="button" className="button--danger" disabled={busy} onClick={confirm}>
          {busy ? 'Discarding…' : 'Discard'}
        </button>
      </div>
    </dialog>
  );
}
