// An inline confirmation that names what will happen, focused when it opens so keyboard and screen-reader users land on it.
import { useEffect, useRef, type ReactNode } from 'react';

/** Props for {@link ConfirmPanel}. */
export interface ConfirmPanelProps {
  title: string;
  children: ReactNode;
  confirmLabel: string;
  busy: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}

/** "Delete receipt.jpg?" with what it does, a confirm button and Cancel (Escape also cancels). */
export function ConfirmPanel({
  title,
  children,
  confirmLabel,
  busy,
  onConfirm,
  onCancel,
}: ConfirmPanelProps) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  return (
    <div
      className="office-confirm"
      role="group"
      aria-labelledby="confirm-title"
      onKeyDown={(event) => {
        if (event.key === 'Escape') onCancel();
      }}
    >
      <h3 id="confirm-title" ref={heading} tabIndex={-1}>
        {title}
      </h3>
      {children}
      <div className="office-actions">
        <button
          type="button"
          className="office-button office-button--danger"
          disabled={busy}
          onClick={onConfirm}
        >
          {busy ? 'Working…' : confirmLabel}
        </button>
        <button
          type="button"
          className="office-button office-button--quiet"
          disabled={busy}
          onClick={onCancel}
        >
          Cancel
        </button>
      </div>
    </div>
  );
}
