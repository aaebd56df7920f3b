// The soak's invariants as one pure function over a snapshot of the device, the database and the bucket.

/** A capture as the device holds it after a run. */
export interface DeviceCapture {
  captureId: string;
  size: number;
  sha256: string;
  state: string;
  errorCode: string | null;
  /** `CODE: message` of the device's last error, for failure messages. */
  error: string | null;
  /** SHA-256 of the bytes still in IndexedDB; null when the device no longer has them. */
  bytesSha256: string | null;
}

/** The fields of an outbox capture record the checker reads (the PWA's record, in Node or read from Chromium). */
export interface OutboxCaptureRecord {
  captureId: string;
  size: number;
  sha256: string;
  state: string;
  lastError: { code: string; message: string } | null;
}

/** The checker's view of outbox record `c`, whose stored bytes hash to `bytesSha256` (null: none held). */
export function deviceCapture(c: OutboxCaptureRecord, bytesSha256: string | null): DeviceCapture {
  return {
    captureId: c.captureId,
    size: c.size,
    sha256: c.sha256,
    state: c.state,
    errorCode: c.lastError?.code ?? null,
    error: c.lastError ? `${c.lastError.code}: ${c.lastError.message}` : null,
    bytesSha256,
  };
}

/** A `files` row for one of the run's captures. */
export interface FileRow {
  captureId: string;
  status: string;
  sha256: string;
  size: number;
  /** SHA-256 of what storage holds under the row's key; null when there is no object. */
  storedSha256: string | null;
}

/** Everything the checker looks at. */
export interface Snapshot {
  captures: DeviceCapture[];
  files: FileRow[];
  /** Device events: id, whether the device marked it pushed, and its capture's final state on the device. */
  events: { id: string; pushed: boolean; captureDone: boolean }[];
  /** Device event ids the server stored (its primary key makes each at most once). */
  ingestedEventIds: ReadonlySet<string>;
}

/** Violations by kind; every one must be 0. */
export interface InvariantCounts {
  /** The device let go of a capture the server does not hold verified with its bytes, or dropped unsent bytes. */
  lost: number;
  /** More than one record for a captureId. */
  duplicated: number;
  /** Still not verified after the faults stopped and the device synced again. */
  stuck: number;
  /** Verified with a hash, size or stored bytes other than the device's. */
  corrupted: number;
  /** A 0-byte capture that was not refused cleanly (a record exists, or it did not end needing attention). */
  badRefusal: number;
  /** An event the device marked pushed that the server does not have. */
  eventsLost: number;
  /** An event of a finished capture the device never pushed. */
  eventsStuck: number;
}

export const ZERO_COUNTS: InvariantCounts = {
  lost: 0,
  duplicated: 0,
  stuck: 0,
  corrupted: 0,
  badRefusal: 0,
  eventsLost: 0,
  eventsStuck: 0,
};

function checkDone(c: DeviceCapture, row: FileRow | undefined, counts: InvariantCounts) {
  if (!row || row.status !== 'verified' || row.storedSha256 === null) counts.lost++;
  else if (row.sha256 !== c.sha256 || row.size !== c.size || row.storedSha256 !== c.sha256)
    counts.corrupted++;
}

function checkCapture(c: DeviceCapture, rows: FileRow[], counts: InvariantCounts) {
  if (rows.length > 1) counts.duplicated++;
  if (c.size === 0) {
    if (rows.length > 0 || c.state !== 'needs-attention') counts.badRefusal++;
    return;
  }
  if (c.state === 'done') return checkDone(c, rows[0], counts);
  // Not done: the device must still hold its exact bytes, or the capture is gone for good.
  if (c.bytesSha256 !== c.sha256) counts.lost++;
  counts.stuck++;
}

/** Counts every violation in `snap` (see {@link InvariantCounts}). */
export function checkInvariants(snap: Snapshot): InvariantCounts {
  const counts = { ...ZERO_COUNTS };
  const byCapture = new Map<string, FileRow[]>();
  for (const f of snap.files)
    byCapture.set(f.captureId, [...(byCapture.get(f.captureId) ?? []), f]);
  for (const c of snap.captures) checkCapture(c, byCapture.get(c.captureId) ?? [], counts);
  for (const e of snap.events) {
    if (e.pushed && !snap.ingestedEventIds.has(e.id)) counts.eventsLost++;
    if (!e.pushed && e.captureDone) counts.eventsStuck++;
  }
  return counts;
}

/** True when every count is 0. */
export function isClean(counts: InvariantCounts): boolean {
  return Object.values(counts).every((n) => n === 0);
}
