// The sync engine's first write of an attempt: the capture becomes `uploading` and its `sync_attempt` event is recorded, together.
import { TRANSITION_CAPTURE } from './captures';
import { ADD_DEVICE_EVENT, type NewDeviceEvent } from './events';
import type { OutboxDb } from './db';
import type { CaptureRecord } from './schema';
import { runAlone, writeOp } from './write-batch';

/** An attempt at uploading a capture, starting at `now`, and its device event. */
export interface AttemptStart {
  captureId: string;
  now: number;
  event: NewDeviceEvent;
}

/**
 * Marks the capture `uploading` and adds the attempt's event in one transaction (two before: both or
 * neither is kept, and a batch of receipts entering the window shares one transaction). Throws, writing
 * nothing, when the capture is gone or may not move to `uploading`.
 */
export const START_ATTEMPT = writeOp({
  stores: ['captures', 'events'],
  keyOf: (start: AttemptStart) => start.captureId,
  run: async (tx, start: AttemptStart): Promise<CaptureRecord> => {
    const { captureId, now } = start;
    const capture = await TRANSITION_CAPTURE.run(tx, { captureId, to: 'uploading', now });
    await ADD_DEVICE_EVENT.run(tx, start.event);
    return capture;
  },
});

/** See {@link START_ATTEMPT}; in a transaction of its own. */
export function startAttempt(db: OutboxDb, start: AttemptStart): Promise<CaptureRecord> {
  return runAlone(db, START_ATTEMPT, start);
}
