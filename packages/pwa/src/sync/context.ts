// The sync engine's dependencies, options, events and the internal context its modules share.
import type { Md5Pass } from '../hash/md5-pass';
import type { Logger } from '../log/logger';
import type { Outbox } from '../outbox/outbox';
import type { CaptureError, CaptureOwner, CaptureState } from '../outbox/schema';
import type { BackoffOptions } from './backoff';
import { DEFAULT_BACKOFF } from './backoff';
import type { Clock } from './clock';
import type { Emitter } from './emitter';
import type { BatchGate, Limiter, Tally } from './limiter';
import type { SyncLock } from './lock';
import type { SyncTransport } from './transport';

/** The outbox operations the engine uses (the real outbox in the app and in tests). */
export type SyncStore = Pick<
  Outbox,
  | 'listDue'
  | 'listPending'
  | 'claimUnownedCaptures'
  | 'getCapture'
  | 'getCaptureBlob'
  | 'setCaptureMd5s'
  | 'transitionCapture'
  | 'startAttempt'
  | 'recordFailure'
  | 'markCaptureDone'
  | 'setCapturePaused'
  | 'retryCapture'
  | 'discardCapture'
  | 'getUpload'
  | 'upsertUpload'
  | 'deleteUpload'
  | 'recordDonePart'
  | 'setDoneParts'
  | 'addUploadUrls'
  | 'addDeviceEvent'
  | 'listUnpushedEvents'
  | 'markEventsPushed'
  | 'isSyncPaused'
  | 'setSyncPaused'
>;

/** Tunables; every one has a default. */
export interface SyncOptions {
  /** Parts of one file in flight at once while other files wait for PUT slots. */
  partConcurrency: number;
  /**
   * Parts of one file in flight at once when no other file waits for a PUT slot (a file sent alone):
   * at least `partConcurrency`, at most `totalConcurrency`.
   */
  idlePartConcurrency: number;
  /** PUTs in flight across all files: what the phone's connection carries at once. */
  totalConcurrency: number;
  /**
   * Files being begun or sent at once. Far more than `totalConcurrency`: a receipt's IndexedDB steps and
   * `uploads.begin` take longer than its PUT, so the PUT slots stay busy only if many receipts are begun
   * ahead. A file waiting for `uploads.complete` no longer counts.
   */
  fileConcurrency: number;
  /**
   * Bytes of the files being begun or sent at once (a larger file goes alone): bounds how long a begun
   * receipt waits for its PUT slot on a slow connection, well inside its signed URL's hour.
   */
  lookaheadBytes: number;
  /** `uploads.begin` (and, separately, `uploads.complete`) calls sent together in one HTTP request. */
  callBatchSize: number;
  /** Batches of begins (and of completes) in flight at once. */
  callBatches: number;
  /**
   * How long a receipt whose bytes are stored may wait for `uploads.complete` while other PUTs are in
   * flight or waiting: completes go in large batches once the PUT slots are idle, or after this long.
   */
  completeDeferMs: number;
  /** Re-uploads after a hash mismatch before the item needs attention. */
  maxMismatches: number;
  backoff: BackoffOptions;
  /** A signed URL this close to expiry is re-signed before use. */
  urlExpiryMarginMs: number;
  /** Part URLs asked for per `signParts` call. */
  signBatchSize: number;
}

/**
 * Defaults: 4 parts per file (6, every slot, when no other file waits), 6 PUTs in total (a phone's connection; the browser's per-host limit), 48 files
 * and 96 MiB begun or sending, begins and completes 16 to a request with 2 requests of each out,
 * completes deferred behind PUTs for up to 10 s, 3 re-uploads, 1 min URL margin, 100 URLs per sign.
 */
export const DEFAULT_SYNC_OPTIONS: SyncOptions = {
  partConcurrency: 4,
  idlePartConcurrency: 6,
  totalConcurrency: 6,
  fileConcurrency: 48,
  lookaheadBytes: 96 * 1024 * 1024,
  callBatchSize: 16,
  callBatches: 2,
  completeDeferMs: 10_000,
  maxMismatches: 3,
  backoff: DEFAULT_BACKOFF,
  urlExpiryMarginMs: 60_000,
  signBatchSize: 100,
};

/** What the engine is built from. */
export interface SyncEngineDeps {
  transport: SyncTransport;
  store: SyncStore;
  clock: Clock;
  lock: SyncLock;
  /** Uniform [0, 1) for backoff jitter. */
  random: () => number;
  /** This device's name in the audit trail (from the cached `auth.me`). */
  deviceLabel: string;
  /**
   * The signed-in user (from the cached `auth.me`): only their captures are uploaded, other users' stay
   * queued for their own sign-in. Absent: every capture (tests and tools with one user).
   */
  owner?: CaptureOwner;
  /** Ids for device events (UUID v7 by default). */
  newId?: () => string;
  /**
   * Re-hashes the local copy after the server reported a mismatch (the hash Worker in the app). When the
   * local bytes no longer match the capture's SHA-256, re-uploading is pointless: the item needs attention.
   */
  rehash?: (blob: Blob) => Promise<{ sha256: string }>;
  /**
   * Computes a capture's upload MD5s when they are still missing at upload time (the MD5 Worker in the
   * page); default: `md5Pass` on this thread (the service worker has no Workers).
   */
  md5s?: Md5Pass;
  options?: Partial<SyncOptions>;
  logger?: Logger;
}

/** Why a run ended. */
export type SyncRunStatus = 'idle' | 'waiting' | 'offline' | 'signed-out' | 'throttled' | 'paused';

/** The summary of one run. */
export interface SyncRunResult {
  status: SyncRunStatus;
  /** Items verified in this run. */
  uploaded: number;
  /** This user's items still pending (paused ones included; other users' captures are not counted). */
  pending: number;
  /** When something is due next (a backoff or Retry-After), epoch ms; `null` when nothing waits on time. */
  retryAt: number | null;
}

/** Bytes of one item. */
export interface ItemProgress {
  captureId: string;
  bytesDone: number;
  bytesTotal: number;
}

/** Events for the UI. */
export interface SyncEvents extends Record<string, unknown> {
  'run-start': { at: number };
  'run-end': SyncRunResult;
  'item-state': { captureId: string; state: CaptureState; error: CaptureError | null };
  'item-progress': ItemProgress;
  /** Totals of the current run: bytes of the items it picked up. */
  progress: { bytesDone: number; bytesTotal: number; items: number };
  /** The server answered 401: captures stay queued until the user signs in again. */
  'sign-in-needed': { pending: number };
}

/** What the engine's modules share during a run. */
export interface SyncContext {
  transport: SyncTransport;
  store: SyncStore;
  clock: Clock;
  random: () => number;
  options: SyncOptions;
  log: Logger;
  events: Emitter<SyncEvents>;
  limiter: Limiter;
  /**
   * Receipts of the run's window whose bytes are not stored yet (counted in as they enter, out once sent
   * or settled): `uploads.complete` gives way to them, not only to PUTs in flight, as a receipt between
   * its begin answer and its PUT holds no PUT slot yet.
   */
  sending: Tally;
  /** Batches `uploads.begin` and `uploads.complete` calls (few HTTP requests per receipt). */
  calls: { begin: BatchGate; complete: BatchGate };
  newId: () => string;
  deviceLabel: string;
  /** Whose captures this engine uploads; null: everyone's. */
  owner: CaptureOwner | null;
  rehash: ((blob: Blob) => Promise<{ sha256: string }>) | null;
  md5s: Md5Pass;
  /** Adds uploaded bytes of an item to its progress and the run totals. */
  addBytes: (captureId: string, bytes: number) => void;
}
