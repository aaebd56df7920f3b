// Whose captures a session may upload: its own, never another user's taken on the same device.
import type { CaptureOwner, CaptureRecord } from '../outbox/schema';

/**
 * True when `capture` may go up under `owner`'s session: taken by that user, or with no owner recorded
 * (the engine claims those before it uploads anything). `owner` null (tests, tools) allows everything.
 */
export function belongsTo(
  capture: Pick<CaptureRecord, 'owner'>,
  owner: CaptureOwner | null,
): boolean {
  return owner === null || capture.owner === undefined || capture.owner.userId === owner.userId;
}

/** Captures of other users waiting on this device, counted per user (for "3 receipts wait for …"). */
export interface OthersWaiting {
  userId: string;
  email: string;
  count: number;
}

/** Groups the pending captures that are not `owner`'s by their owner, most captures first. */
export function othersWaiting(
  pending: readonly Pick<CaptureRecord, 'owner'>[],
  owner: CaptureOwner | null,
): OthersWaiting[] {
  const byUser = new Map<string, OthersWaiting>();
  for (const { owner: of } of pending) {
    if (!of || owner === null || of.userId === owner.userId) continue;
    const entry = byUser.get(of.userId) ?? { userId: of.userId, email: of.email, count: 0 };
    entry.count++;
    byUser.set(of.userId, entry);
  }
  return [...byUser.values()].sort((a, b) => b.count - a.count || a.email.localeCompare(b.email));
}

/** The label the page and the worker use for a user without one, so device events agree. */
export const DEFAULT_DEVICE_LABEL = 'browser';

/** Who a sync engine runs for: the device label for the audit trail and the owner whose captures it uploads. */
export interface SyncUser {
  deviceLabel: string;
  owner: CaptureOwner;
}

/** The sync user of a cached `auth.me`. */
export function syncUserOf(me: {
  id: string;
  orgId: string;
  email: string;
  deviceLabel?: string | null | undefined;
}): SyncUser {
  return {
    deviceLabel: me.deviceLabel ?? DEFAULT_DEVICE_LABEL,
    owner: { userId: me.id, orgId: me.orgId, email: me.email },
  };
}
