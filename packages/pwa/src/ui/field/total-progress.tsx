// The Outbox's summary: how many captures wait and the bytes of the current (or last) upload run.
import type { RunTotals } from '../hooks/use-sync';
import { bytesOf } from './capture-labels';

/** Props for {@link TotalProgress}. */
export interface TotalProgressProps {
  pending: number;
  totals: RunTotals | null;
  syncing: boolean;
  paused: boolean;
}

function summary({ pending, syncing, paused }: TotalProgressProps): string {
  if (pending === 0) return 'Everything on this device is uploaded.';
  const waiting = pending === 1 ? '1 capture waits' : `${pending} captures wait`;
  if (paused) return `${waiting}; uploads are paused.`;
  return syncing ? `${waiting}; uploading now.` : `${waiting} to upload.`;
}

/** A polite live region, so screen-reader users hear when the queue empties or pauses. */
export function TotalProgress(props: TotalProgressProps) {
  const { totals } = props;
  const showBar = totals !== null && totals.bytesTotal > 0 && props.pending > 0;
  return (
    <div className="total-progress" role="status" data-testid="total-progress">
      <p>{summary(props)}</p>
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
