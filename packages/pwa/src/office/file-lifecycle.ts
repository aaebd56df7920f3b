// What happened to a purged or missing file, in words, from its record and its audit trail (pure, unit-tested).
import type { FileHistoryEntry, FileRecord } from '@fieldvault/shared/schemas';
import { actorText } from './audit-format';
import { formatDateTime, type FormatOptions } from './format';

type TrailEvent = Pick<
  FileHistoryEntry,
  'at' | 'action' | 'actorId' | 'actorRole' | 'success' | 'errorCode' | 'details'
>;

/** True for an event that found the stored object gone: Verify now (OBJECT_MISSING) or a reconcile repair. */
function foundMissing(event: TrailEvent): boolean {
  if (event.action === 'FILE_VERIFIED' && event.errorCode === 'OBJECT_MISSING') return true;
  return event.details.finding === 'missing';
}

/** True for an event that proved the bytes were there (an upload or a later check that matched). */
function foundStored(event: TrailEvent): boolean {
  return event.success && (event.action === 'FILE_VERIFIED' || event.action === 'UPLOAD_VERIFIED');
}

/**
 * When the object was first found missing in the current stretch (the trail is newest first): the oldest
 * missing finding after the last time its bytes were found; null when the trail does not say.
 */
export function missingSince(trail: readonly TrailEvent[]): string | null {
  let since: string | null = null;
  for (const event of trail) {
    if (foundStored(event)) break;
    if (foundMissing(event)) since = event.at;
  }
  return since;
}

/** Options of {@link lifecycleText}: user names for ids (admins have them), date formatting. */
export interface LifecycleOptions extends FormatOptions {
  names?: ReadonlyMap<string, string>;
}

function purgedText(trail: readonly TrailEvent[], options: LifecycleOptions): string {
  const purge = trail.find((e) => e.action === 'FILE_PURGED' && e.success);
  const stays = 'the bytes are gone; this record and its audit trail stay.';
  if (purge === undefined) return `Purged — ${stays}`;
  const by =
    purge.actorId === null ? 'the purge job' : actorText(purge, options.names ?? new Map());
  return `Purged on ${formatDateTime(purge.at, options)} by ${by} — ${stays}`;
}

function missingText(trail: readonly TrailEvent[], options: LifecycleOptions): string {
  const since = missingSince(trail);
  const when = since === null ? '' : ` since ${formatDateTime(since, options)}`;
  return `Missing from storage${when} — the stored object was not found, so it cannot be downloaded. If it is put back (from a backup), Verify now checks it again.`;
}

/**
 * The notice a purged or missing file's page leads with ("Purged on … by … — the bytes are gone; this record
 * and its audit trail stay", "Missing from storage since …"), null for any other status.
 */
export function lifecycleText(
  file: Pick<FileRecord, 'status'>,
  trail: readonly TrailEvent[],
  options: LifecycleOptions = {},
): string | null {
  if (file.status === 'purged') return purgedText(trail, options);
  if (file.status === 'missing') return missingText(trail, options);
  return null;
}
