// The Outbox view: every capture on this device with state, progress, errors and controls; totals; "Sync now".
import { useEffect, useState } from 'react';
import type { CaptureRecord } from '../../outbox/schema';
import { DiscardDialog } from '../field/discard-dialog';
import { OutboxItem } from '../field/outbox-item';
import { TotalProgress } from '../field/total-progress';
import { StorageNotice } from '../field/storage-notice';
import { useDeviceStorage } from '../hooks/use-device-storage';
import type { SyncView } from '../hooks/use-sync';
import { ViewLayout } from './view-layout';

/** Props for {@link OutboxView}. */
export interface OutboxViewProps {
  focusHeading: boolean;
  sync: SyncView;
  /** Set when the server refused the session; the button leads back to the sign-in screen. */
  signInAgain: (() => void) | null;
}

function SignInAgain({ pending, onClick }: { pending: number; onClick: () => void }) {
  const what = pending === 1 ? '1 receipt' : `${pending} receipts`;
  return (
    <div role="alert" className="notice">
      <p>
        Sign in to upload {what}. Your session has ended; the captures stay safe on this device.
      </p>
      <button type="button" onClick={onClick}>
        Sign in again
      </button>
    </div>
  );
}

/** Other users' captures on this device: they stay queued until that user signs in here. */
function OthersWaitingNotice({ others }: { others: SyncView['othersWaiting'] }) {
  if (others.length === 0) return null;
  return (
    <div className="notice" data-testid="others-waiting">
      {others.map(({ userId, email, count }) => (
        <p key={userId}>
          {count === 1 ? '1 receipt waits' : `${count} receipts wait`} for {email}; sign in as{' '}
          {email} to upload {count === 1 ? 'it' : 'them'}.
        </p>
      ))}
    </div>
  );
}

function Toolbar({ sync }: { sync: SyncView }) {
  return (
    <div className="toolbar">
      <button type="button" onClick={sync.syncNow} disabled={sync.syncing || sync.paused}>
        {sync.syncing ? 'Syncing…' : 'Sync now'}
      </button>
      {sync.paused ? (
        <button type="button" onClick={sync.resumeAll}>
          Resume all uploads
        </button>
      ) : (
        <button type="button" onClick={sync.pauseAll}>
          Pause all uploads
        </button>
      )}
    </div>
  );
}

/**
 * The capture awaiting confirmation of its discard. After a discard the focused item is gone: focus goes to
 * the view heading once the dialog has closed (while the modal is open everything else is inert, and closing
 * it moves focus back to the vanished button).
 */
function useDiscard(discard: SyncView['discard']) {
  const [discarding, setDiscarding] = useState<CaptureRecord | null>(null);
  const [discards, setDiscards] = useState(0);
  useEffect(() => {
    if (discards > 0) document.getElementById('view-title')?.focus();
  }, [discards]);
  const confirm = async (capture: CaptureRecord) => {
    await discard(capture.captureId);
    setDiscarding(null);
    setDiscards((n) => n + 1);
  };
  return { discarding, ask: setDiscarding, confirm, cancel: () => setDiscarding(null) };
}

/** Open captures first, then the uploaded history. */
function CaptureLists({
  sync,
  onDiscard,
}: {
  sync: SyncView;
  onDiscard: (c: CaptureRecord) => void;
}) {
  const open = sync.captures.filter((c) => c.state !== 'done');
  const done = sync.captures.filter((c) => c.state === 'done');
  const item = (c: CaptureRecord) => (
    <OutboxItem
      key={c.captureId}
      capture={c}
      progressDone={sync.progress[c.captureId]?.bytesDone}
      thumbnail={sync.thumbnails.get(c.captureId)}
      onRetry={() => void sync.retry(c.captureId)}
      onPause={() => void sync.pauseItem(c.captureId)}
      onResume={() => void sync.resumeItem(c.captureId)}
      onDiscard={() => onDiscard(c)}
    />
  );
  if (sync.captures.length === 0) return <p>Nothing captured on this device yet.</p>;
  return (
    <>
      {open.length > 0 ? (
        <ul className="outbox-list" aria-label="Waiting to upload">
          {open.map(item)}
        </ul>
      ) : null}
      {done.length > 0 ? (
        <>
          <h2>Uploaded</h2>
          <ul className="outbox-list" aria-label="Uploaded">
            {done.map(item)}
          </ul>
        </>
      ) : null}
    </>
  );
}

/** Every capture on this device with its controls, the totals, storage, and the discard confirmation. */
export function OutboxView({ focusHeading: focusOnShow, sync, signInAgain }: OutboxViewProps) {
  const storage = useDeviceStorage();
  const { discarding, ask, confirm, cancel } = useDiscard(sync.discard);
  return (
    <ViewLayout title="Outbox" focusHeading={focusOnShow}>
      {signInAgain ? <SignInAgain pending={sync.pending} onClick={signInAgain} /> : null}
      <TotalProgress
        pending={sync.pending}
        totals={sync.totals}
        syncing={sync.syncing}
        paused={sync.paused}
        lastRun={sync.lastRun}
      />
      <OthersWaitingNotice others={sync.othersWaiting} />
      <Toolbar sync={sync} />
      <StorageNotice usage={storage.usage} low={storage.low} />
      <CaptureLists sync={sync} onDiscard={ask} />
      {discarding ? (
        <DiscardDialog
          capture={discarding}
          onConfirm={() => confirm(discarding)}
          onClose={cancel}
        />
      ) : null}
    </ViewLayout>
  );
}
