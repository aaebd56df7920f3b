// Words for a capture's state and progress, shared by the Outbox list and its dialogs.
import { formatBytes } from '../../device/storage';
import { PENDING_STATES, type CaptureRecord, type CaptureState } from '../../outbox/schema';

/** What each state means to the person holding the phone. */
export const STATE_LABEL: Readonly<Record<CaptureState, string>> = {
  queued: 'Waiting to upload',
  uploading: 'Uploading',
  verifying: 'Verifying',
  done: 'Uploaded and verified',
  failed: 'Will retry',
  'needs-attention': 'Needs attention',
};

/** The state as shown, with "paused" when the user paused the item. */
export function stateLabel(capture: CaptureRecord): string {
  const label = STATE_LABEL[capture.state];
  return capture.paused && capture.state !== 'done' ? `${label} (paused)` : label;
}

/** Bytes sent of this capture: all of them once done, else what this page's runs reported. */
export function bytesDone(capture: CaptureRecord, progressDone: number | undefined): number {
  return capture.state === 'done' ? capture.size : Math.min(capture.size, progressDone ?? 0);
}

/** "1.2 MB of 3.4 MB". */
export function bytesOf(done: number, total: number): string {
  return `${formatBytes(done)} of ${formatBytes(total)}`;
}

/** A receipt's name as the user knows it: file name and where it belongs. */
export function captureName(capture: CaptureRecord): string {
  return `${capture.filename} (${capture.target.objectType} ${capture.target.objectId})`;
}

/** True when the user can ask for another attempt now. */
export function canRetry(capture: CaptureRecord): boolean {
  return capture.state === 'failed' || capture.state === 'needs-attention';
}

/** True while the capture still waits to reach the server (pausable, discardable). */
export function isOpen(capture: CaptureRecord): boolean {
  return capture.state !== 'done';
}

/** True while the engine may pick it up (pausing a capture that needs attention would mean nothing). */
export function isPausable(capture: CaptureRecord): boolean {
  return PENDING_STATES.includes(capture.state);
}
