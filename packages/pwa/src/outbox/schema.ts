// The outbox's IndexedDB schema: record types, store and index names, the database name and version.
import type { DBSchema } from 'idb';
import type {
  DeviceEventKind,
  UploadBeginInput,
  UploadCaptureDetails,
} from '@fieldvault/shared/schemas';

/** Database name; one outbox per origin (the page, other tabs and the service worker share it). */
export const DB_NAME = 'fieldvault-outbox';
/** Current schema version; bump it and add a step to `UPGRADES` in `db.ts` for every schema change. */
export const DB_VERSION = 4;

/**
 * Where a capture is in its life. `failed` = the last attempt failed with a retryable error and the item
 * waits for its backoff; `needs-attention` = it cannot succeed without the user (refused type, too large,
 * repeated hash mismatch). `uploading`/`verifying` left behind by a crash count as pending (see `PENDING_STATES`).
 */
export type CaptureState =
  'queued' | 'uploading' | 'verifying' | 'done' | 'failed' | 'needs-attention';

/** States the sync engine picks up when their `nextAttemptAt` has come. */
export const PENDING_STATES: readonly CaptureState[] = [
  'queued',
  'failed',
  'uploading',
  'verifying',
];

/** Where a capture belongs (the `uploads.begin` target fields). */
export interface CaptureTarget {
  system: UploadBeginInput['system'];
  objectType: string;
  objectId: string;
  /** ISO 8601 UTC time of capture. */
  capturedAt: string;
}

/**
 * Who took a capture (from the cached `auth.me` at capture time). Only this user's session uploads it: a
 * different user signing in on the same device leaves it queued, and the Outbox says whose it is.
 */
export interface CaptureOwner {
  userId: string;
  orgId: string;
  /** Shown to another user of the device ("3 receipts wait for jane@example.com"). */
  email: string;
}

/** Why the last attempt failed: a shared error code (or a local one) and words for the user. */
export interface CaptureError {
  code: string;
  message: string;
}

/** One capture: metadata, hashes and state. The bytes live in `blobs` under `blobKey`. */
export interface CaptureRecord {
  /** UUID v7, made on the device; the server's idempotency key for `uploads.begin`. */
  captureId: string;
  target: CaptureTarget;
  meta?: UploadCaptureDetails;
  /**
   * Who took it. Absent on captures saved before owners were recorded (schema v4 and earlier): the first
   * user whose session syncs on this device claims them (`claimUnownedCaptures`), as no one else can be told.
   */
  owner?: CaptureOwner;
  filename: string;
  contentType: string;
  size: number;
  /** Hex SHA-256 of the bytes at capture time. */
  sha256: string;
  /**
   * Base64 MD5 of the whole file (signed `Content-MD5` of a single PUT). The upload MD5s are not part of
   * the capture proof: they are computed after "Saved" and stored here when done (`upload-md5s.ts`); until
   * then a single-PUT size has no `md5` and a multipart size no `partMd5s`. Records written before that
   * (schema v4 and earlier) always have them, so they read as computed and need no upgrade step.
   */
  md5?: string;
  /** Base64 MD5 per part of `partPlan(size)`, for multipart sizes only (see `md5`). */
  partMd5s?: string[];
  state: CaptureState;
  /** Failed attempts so far (drives the backoff). */
  attempts: number;
  /** How many times the server or storage saw different bytes; re-uploads stop at the engine's limit. */
  mismatchCount: number;
  /** Epoch ms before which the engine leaves the item alone; `Infinity` while paused. */
  nextAttemptAt: number;
  paused: boolean;
  lastError: CaptureError | null;
  serverFileId: string | null;
  /** Key of the bytes in `blobs`; `null` once the server verified them and they were deleted. */
  blobKey: string | null;
  createdAt: number;
  updatedAt: number;
}

/**
 * The bytes of one capture, stored as one Blob rather than ArrayBuffer chunks:
 * - atomicity without memory: a Blob (a `File` from the picker) goes into the same transaction as its
 *   metadata and the browser copies it to disk itself. Chunks would have to be read into JS memory
 *   *before* the transaction opens (a transaction closes at the first `await` on anything else), so a
 *   1 GiB video would sit in memory whole, or be split across transactions and lose atomicity.
 * - Safari: WebKit refused Blobs in IndexedDB before Safari 10 and later shipped releases where a stored
 *   Blob could not be read back. Rather than trusting it, `saveCapture` reads the Blob back and re-hashes
 *   it before it reports "saved", and removes everything if the bytes are not identical. `format` lets a
 *   later version add an ArrayBuffer-chunk fallback for such engines without migrating existing rows.
 */
export interface BlobRecord {
  key: string;
  format: 'blob';
  blob: Blob;
  size: number;
  type: string;
}

/** A part (or the single PUT, as part 1) that storage acknowledged, with its ETag exactly as returned. */
export interface DonePart {
  partNumber: number;
  etag: string;
}

/** A presigned request remembered with its expiry (epoch ms). */
export interface StoredUrl {
  partNumber: number;
  url: string;
  headers: Record<string, string>;
  expiresAt: number;
}

/** Upload progress of one capture: the server session and what storage already holds. */
export interface UploadRecord {
  captureId: string;
  sessionId: string;
  kind: 'single' | 'multipart';
  partSize: number;
  partCount: number;
  /** Parts storage acknowledged, ascending by part number. */
  doneParts: DonePart[];
  /** Signed URLs not used yet (part 1 for a single PUT). */
  urls: StoredUrl[];
  createdAt: number;
  updatedAt: number;
}

/** A device audit event; `pushed` is 0/1 because booleans are not valid IndexedDB keys. */
export interface DeviceEventRecord {
  id: string;
  /** ISO time the event happened on the device. */
  capturedAt: string;
  /** Epoch ms of `capturedAt`, for ordering in the index. */
  at: number;
  kind: DeviceEventKind;
  captureId: string;
  sha256?: string;
  deviceLabel: string;
  details?: Record<string, string | number | boolean | null>;
  pushed: 0 | 1;
}

/** A small JPEG of an image capture, made on the device at pick time for the lists. */
export interface ThumbnailData {
  type: 'image/jpeg';
  /**
   * Bytes as an ArrayBuffer, not a Blob: a thumbnail is a few KiB, so holding it in memory costs nothing,
   * and it sidesteps the WebKit releases whose stored Blobs could not be read back.
   */
  bytes: ArrayBuffer;
  width: number;
  height: number;
}

/** A capture's thumbnail; kept after upload as part of the history record. */
export interface ThumbnailRecord extends ThumbnailData {
  captureId: string;
}

/**
 * A picked file stored the moment the input's `change` event fires, before any hashing or form filling:
 * Android may kill the browser while the camera app is open, and the page that comes back has lost
 * everything in memory. `id` becomes the capture's id when it is saved, so a crash between saving the
 * capture and deleting the draft is recognised (the capture exists) and never saved twice.
 */
export interface DraftRecord {
  id: string;
  file: Blob;
  filename: string;
  type: string;
  size: number;
  createdAt: number;
  thumbnail?: ThumbnailData;
}

/** Key of the one row of {@link SyncSettingsRecord} in `settings`. */
export const SYNC_SETTINGS_KEY = 'sync';

/** Device-wide sync settings (one row, `key = 'sync'`): the global pause, persisted so a reload keeps it. */
export interface SyncSettingsRecord {
  key: typeof SYNC_SETTINGS_KEY;
  /** Every upload on this device waits, whichever tab or the service worker would run it. */
  paused: boolean;
  updatedAt: number;
}

/** The typed schema `idb` checks every store access against. */
export interface OutboxSchema extends DBSchema {
  captures: {
    key: string;
    value: CaptureRecord;
    indexes: { 'by-state-next': [CaptureState, number] };
  };
  blobs: { key: string; value: BlobRecord };
  thumbnails: { key: string; value: ThumbnailRecord };
  drafts: { key: string; value: DraftRecord };
  settings: { key: string; value: SyncSettingsRecord };
  uploads: { key: string; value: UploadRecord };
  events: {
    key: string;
    value: DeviceEventRecord;
    indexes: { 'by-pushed-at': [0 | 1, number]; 'by-capture': string };
  };
}
