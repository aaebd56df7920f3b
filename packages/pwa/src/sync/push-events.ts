// Pushing device events to the server, each only after the capture it describes has left the queue.
import { PENDING_STATES } from '../outbox/schema';
import { toWireEvent } from '../outbox/events';
import type { SyncContext } from './context';
import { belongsTo } from './ownership';

/** Events per `device.pushEvents` call (the shared batch schema's maximum). */
const BATCH = 500;
/** How many unpushed events one run looks at. */
const SCAN = 5_000;

/**
 * Pushes the unpushed events whose capture is no longer pending (verified, needing attention, or
 * discarded) and not another user's, oldest first, in batches, marking each batch pushed after the server accepted it. Events of
 * captures still uploading wait, so the server never hears of a capture before its upload. Transport
 * errors propagate; marking is idempotent on the server, so a retry after a crash only repeats a batch.
 */
export async function pushDeviceEvents(ctx: SyncContext): Promise<number> {
  const unpushed = await ctx.store.listUnpushedEvents(SCAN);
  const ids = [...new Set(unpushed.map((e) => e.captureId))];
  const captures = await Promise.all(ids.map((id) => ctx.store.getCapture(id)));
  // Another user's captures are theirs to report, under their own session.
  const waiting = new Set(
    captures
      .filter(
        (c) => c !== undefined && (PENDING_STATES.includes(c.state) || !belongsTo(c, ctx.owner)),
      )
      .map((c) => c?.captureId),
  );
  const ready = unpushed.filter((e) => !waiting.has(e.captureId));
  for (let i = 0; i < ready.length; i += BATCH) {
    const batch = ready.slice(i, i + BATCH);
    await ctx.transport.pushEvents({ events: batch.map(toWireEvent) });
    await ctx.store.markEventsPushed(batch.map((e) => e.id));
  }
  return ready.length;
}
