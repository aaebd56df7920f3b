// One capture in the Outbox: thumbnail, state, progress and bytes, last error in words, and its buttons.
import { useId } from 'react';
import type { CaptureRecord } from '../../outbox/schema';
import { bytesDone, bytesOf, canRetry, isOpen, isPausable, stateLabel } from './capture-labels';
import { CaptureThumbnail } from './capture-thumbnail';

/** Props for {@link OutboxItem}. */
export interface OutboxItemProps {
  capture: CaptureRecord;
  /** Bytes this page saw uploaded for it. */
  progressDone: number | undefined;
  thumbnail: Blob | undefined;
  onRetry: () => void;
  onPause: () => void;
  onResume: () => void;
  /** Opens the confirmation; nothing is deleted before the user confirms. */
  onDiscard: () => void;
}

function ItemButtons(props: OutboxItemProps & { describedBy: string }) {
  const { capture, describedBy } = props;
  if (!isOpen(capture)) return null;
  return (
    <div className="item-actions">
      {canRetry(capture) ? (
        <button type="button" aria-describedby={describedBy} onClick={props.onRetry}>
          Retry
        </button>
      ) : null}
      {!isPausable(capture) ? null : capture.paused ? (
        <button type="button" aria-describedby={describedBy} onClick={props.onResume}>
          Resume
        </button>
      ) : (
        <button type="button" aria-describedby={describedBy} onClick={props.onPause}>
          Pause
        </button>
      )}
      <button
        type="button"
        className="button--danger"
        aria-describedby={describedBy}
        onClick={props.onDiscard}
      >
        Discard
      </button>
    </div>
  );
}

/** Done items keep a small history record: the fingerprint and the server's file id. */
function DoneRecord({ capture }: { capture: CaptureRecord }) {
  return (
    <dl className="item-record">
      <dt>SHA-256</dt>
      <dd className="mono" title={capture.sha256}>
        {capture.sha256.slice(0, 16)}…
      </dd>
      <dt>Server file</dt>
      <dd className="mono">{capture.serverFileId ?? 'unknown'}</dd>
    </dl>
  );
}

/** A list item; `data-state` lets tests (and styles) tell states apart. */
export function OutboxItem(props: OutboxItemProps) {
  const { capture, progressDone } = props;
  const nameId = useId();
  const done = bytesDone(capture, progressDone);
  return (
    <li className="outbox-item" data-testid="outbox-item" data-state={capture.state}>
      <CaptureThumbnail contentType={capture.contentType} image={props.thumbnail} />
      <div className="outbox-item__body">
        <p className="outbox-item__name" id={nameId}>
          <strong>{capture.filename}</strong> — {capture.target.objectType}{' '}
          {capture.target.objectId}
        </p>
        <p className="outbox-item__state" data-testid="item-state">
          {stateLabel(capture)}
        </p>
        <progress
          value={done}
          max={Math.max(1, capture.size)}
          aria-label={`Upload of ${capture.filename}`}
        />
        <p className="outbox-item__bytes">{bytesOf(done, capture.size)}</p>
        {capture.lastError ? (
          <p className="form__error" data-testid="item-error">
            Last error: {capture.lastError.message}
          </p>
        ) : null}
        {capture.state === 'done' ? <DoneRecord capture={capture} /> : null}
        <ItemButtons {...props} describedBy={nameId} />
      </div>
    </li>
  );
}
