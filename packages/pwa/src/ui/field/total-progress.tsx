// The Outbox's summary: how many captures wait and the bytes of the current (or last) upload run.
import type { SyncRunResult } from '../../sync';
import type { RunTotals } from '../hooks/use-sync';
import { bytesOf } from './capture-labels';

/** Props for {@link TotalProgress}. */
export interface TotalProgressProps {
  pending: number;
  totals: RunTotals | null;
  syncing: boolean;
  paused: boolean;
  lastRun: SyncRunResult | null;
}

const timeOf = (ms: number) =>
  new Date(ms).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });

/** Why captures still wait after the last run, in words; null when there is nothing to add. */
export function lastRunNote(run: SyncRunResult | null): string | null {
  if (!run || run.pending === 0) return null;
  switch (run.status) {
    case 'offline':
      return 'No connection: uploads start by themselves when the network is back.';
    case 'signed-out':
      return 'Sign in again to upload.';
    case 'throttled':
      return run.retryAt === null
        ? 'The server asked to wait; uploads will retry.'
        : `The server asked to wait; next try at ${timeOf(run.retryAt)}.`;
    case 'waiting':
      return run.retryAt === null ? null : `Next try at ${timeOf(run.retryAt)}.`;
    case 'idle':
    case 'paused':
      return null;
  }
}

function summary({ pending, syncing, paused }: TotalProgressProps): string {
  if (pending === 0) return 'Everything on this device is uploaded.';
  const waiting = pending === 1 ? '1 capture waits' : `${pending} captures wait`;
  if (paused) return `Paused: ${waiting}; nothing uploads until you resume.`;
  return syncing ? `${waiting}; uploading now.` : `${waiting} to upload.`;
}

/** A polite live region, so screen-reader users hear when the queue empties or pauses. */
export function TotalProgress(props: TotalProgressProps) {
  const { totals } = props;
  const showBar = totals !== null && totals.bytesTotal > 0 && props.pending > 0;
  const note = props.syncing || props.paused ? null : lastRunNote(props.lastRun);
  return (
    <div className="total-progress" role="status" data-testid="total-progress">
      <p>{summary(props)}</p>
      {note ? <p className="muted">{note}</p> : null}
      {showBar ? (
        <>
          <progress
            value={totals.bytesDone}
            max={totals.bytesTotal}
            aria-label="Total upload progress"
          />
          <p className="outbox-item__bytes">{bytesOf(totals.bytesDone, totals.bytesTotal)}</p>
        </>
      ) : null}
    </div>
  );
}
