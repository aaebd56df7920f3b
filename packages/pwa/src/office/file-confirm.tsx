// The confirmation for a file action, naming what delete, restore or purge will do before anything is sent.
import type { ReactNode } from 'react';
import { ConfirmPanel } from './confirm-panel';

/** An action that needs confirming. */
export type ConfirmKind = 'delete' | 'restore' | 'purge';

/** Props for {@link FileConfirm}. */
export interface FileConfirmProps {
  kind: ConfirmKind;
  filename: string;
  busy: boolean;
  reason: string;
  setReason: (reason: string) => void;
  onConfirm: () => void;
  onCancel: () => void;
}

const COPY: Record<
  ConfirmKind,
  { title: (name: string) => string; button: string; body: ReactNode }
> = {
  delete: {
    title: (name) => `Delete ${name}?`,
    button: 'Delete file',
    body: (
      <p>
        It leaves the Files list for everyone. The bytes stay in storage and office staff or an
        admin can restore it; only an admin can purge it for good. The deletion is recorded in the
        audit trail.
      </p>
    ),
  },
  restore: {
    title: (name) => `Restore ${name}?`,
    button: 'Restore file',
    body: (
      <p>
        It returns to the Files list with the status it had before. The restore is recorded in the
        audit trail.
      </p>
    ),
  },
  purge: {
    title: (name) => `Purge ${name} for good?`,
    button: 'Purge file',
    body: (
      <p>
        The bytes are removed from storage and the record from the database. This cannot be undone;
        the audit trail keeps its name, key, size and SHA-256.
      </p>
    ),
  },
};

/** The panel for `kind`; delete also asks for an optional reason. */
export function FileConfirm({
  kind,
  filename,
  busy,
  reason,
  setReason,
  onConfirm,
  onCancel,
}: FileConfirmProps) {
  const copy = COPY[kind];
  return (
    <ConfirmPanel
      title={copy.title(filename)}
      confirmLabel={copy.button}
      busy={busy}
      onConfirm={onConfirm}
      onCancel={onCancel}
    >
      {copy.body}
      {kind === 'delete' ? (
        <label className="office-form">
          Reason (optional, kept in the audit trail)
          <input value={reason} maxLength={500} onChange={(e) => setReason(e.target.value)} />
        </label>
      ) : null}
    </ConfirmPanel>
  );
}
