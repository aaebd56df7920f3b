// The Outbox view: every capture on this device with its state, bytes sent and last error; "Sync now".
import type { CaptureRecord, CaptureState } from '../../outbox/schema';
import type { ProgressMap } from '../hooks/use-sync';
import { ViewLayout } from './view-layout';

/** Props for {@link OutboxView}. */
export interface OutboxViewProps {
  focusHeading: boolean;
  captures: CaptureRecord[];
  progress: ProgressMap;
  syncing: boolean;
  syncNow: () => void;
  /** Set when the server refused the session; the button leads back to the sign-in screen. */
  signInAgain: (() => void) | null;
}

const STATE_LABEL: Record<CaptureState, string> = {
  queued: 'Waiting to upload',
  uploading: 'Uploading',
  verifying: 'Verifying',
  done: 'Done',
  failed: 'Will retry',
  'needs-attention': 'Needs attention',
};

function bytesLabel(capture: CaptureRecord, progress: ProgressMap): string {
  const done =
    capture.state === 'done' ? capture.size : (progress[capture.captureId]?.bytesDone ?? 0);
  return `${done.toLocaleString()} of ${capture.size.toLocaleString()} bytes`;
}

/** The list of captures and the "Sync now" button. */
export function OutboxView({
  focusHeading,
  captures,
  progress,
  syncing,
  syncNow,
  signInAgain,
}: OutboxViewProps) {
  return (
    <ViewLayout title="Outbox" focusHeading={focusHeading}>
      {signInAgain ? (
        <div role="alert">
          <p>
            Your session has ended. The captures stay safe on this device; sign in again to upload
            them.
          </p>
          <button type="button" onClick={signInAgain}>
            Sign in again
          </button>
        </div>
      ) : null}
      <button type="button" onClick={syncNow} disabled={syncing}>
        {syncing ? 'Syncing…' : 'Sync now'}
      </button>
      {captures.length === 0 ? <p>Nothing captured on this device yet.</p> : null}
      <ul className="outbox-list" aria-label="Captures">
        {captures.map((c) => (
          <li key={c.captureId} data-testid="outbox-item" data-state={c.state}>
            <strong>{c.filename}</strong> — {c.target.objectType} {c.target.objectId}
            <br />
            <span>{STATE_LABEL[c.state]}</span> · <span>{bytesLabel(c, progress)}</span>
            {c.lastError ? <p className="form__error">{c.lastError.message}</p> : null}
          </li>
        ))}
      </ul>
    </ViewLayout>
  );
}
