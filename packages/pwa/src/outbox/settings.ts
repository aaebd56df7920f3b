// Device-wide sync settings kept in the outbox database: today the global pause, so it survives a reload.
import type { OutboxDb } from './db';
import { SYNC_SETTINGS_KEY, type SyncSettingsRecord } from './schema';

/** The global pause as stored; a database that never stored one is not paused. */
export async function isSyncPaused(db: OutboxDb): Promise<boolean> {
  const record = await db.get('settings', SYNC_SETTINGS_KEY);
  return record?.paused ?? false;
}

/**
 * Pauses or resumes every upload on this device. The page, other tabs and the service worker read it at
 * the start of each run (and between passes), so a pause set in one tab stops the worker's `sync` too.
 */
export async function setSyncPaused(
  db: OutboxDb,
  change: { paused: boolean; now: number },
): Promise<void> {
  const record: SyncSettingsRecord = {
    key: SYNC_SETTINGS_KEY,
    paused: change.paused,
    updatedAt: change.now,
  };
  await db.put('settings', record);
}
