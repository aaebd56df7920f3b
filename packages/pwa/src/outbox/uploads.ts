// Upload sessions: the server session of a capture, the parts storage acknowledged, and unused signed URLs.
import type { OutboxDb } from './db';
import type { DonePart, StoredUrl, UploadRecord } from './schema';

/** The upload session of a capture, or `undefined`. */
export function getUpload(db: OutboxDb, captureId: string): Promise<UploadRecord | undefined> {
  return db.get('uploads', captureId);
}

/** Stores (replacing) the upload session of a capture. */
export async function putUpload(db: OutboxDb, record: UploadRecord): Promise<void> {
  await db.put('uploads', record);
}

/** Forgets the upload session of a capture (it expired on the server, or bytes must go again). */
export async function deleteUpload(db: OutboxDb, captureId: string): Promise<void> {
  await db.delete('uploads', captureId);
}

const byPart = (a: { partNumber: number }, b: { partNumber: number }) =>
  a.partNumber - b.partNumber;

/** Reads, changes and writes the session in one transaction (parts finishing in parallel never lose a write). */
async function updateUpload(
  db: OutboxDb,
  captureId: string,
  change: (current: UploadRecord) => UploadRecord,
): Promise<UploadRecord | undefined> {
  const tx = db.transaction('uploads', 'readwrite');
  const current = await tx.store.get(captureId);
  const next = current && change(current);
  await Promise.all([next ? tx.store.put(next) : undefined, tx.done]);
  return next;
}

/**
 * Persists one part's ETag the moment storage acknowledged it, and drops its used URL. Returns `undefined`
 * when the session is gone (discarded meanwhile), so the caller can stop.
 */
export function recordDonePart(
  db: OutboxDb,
  change: { captureId: string; part: DonePart; now: number },
): Promise<UploadRecord | undefined> {
  return updateUpload(db, change.captureId, (current) => ({
    ...current,
    doneParts: [
      ...current.doneParts.filter((p) => p.partNumber !== change.part.partNumber),
      change.part,
    ].sort(byPart),
    urls: current.urls.filter((u) => u.partNumber !== change.part.partNumber),
    updatedAt: change.now,
  }));
}

/** Replaces the done parts with what storage reports (`uploads.listParts` is the authority after a crash). */
export function setDoneParts(
  db: OutboxDb,
  change: { captureId: string; parts: DonePart[]; now: number },
): Promise<UploadRecord | undefined> {
  return updateUpload(db, change.captureId, (current) => ({
    ...current,
    doneParts: [...change.parts].sort(byPart),
    updatedAt: change.now,
  }));
}

/** Merges fresh signed URLs into the session (newer ones win). */
export function addUploadUrls(
  db: OutboxDb,
  change: { captureId: string; urls: StoredUrl[]; now: number },
): Promise<UploadRecord | undefined> {
  const fresh = new Set(change.urls.map((u) => u.partNumber));
  return updateUpload(db, change.captureId, (current) => ({
    ...current,
    urls: [...current.urls.filter((u) => !fresh.has(u.partNumber)), ...change.urls].sort(byPart),
    updatedAt: change.now,
  }));
}
