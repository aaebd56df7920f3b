// Pushing device events to the server, each only after the capture it describes has left the queue.
import { toWireEvent, type EventsAfter } from '../outbox/events';
import { PENDING_STATES, type DeviceEventRecord } from '../outbox/schema';
import type { SyncContext } from './context';
import { belongsTo } from './ownership';

/** Events per `device.pushEvents` call (the shared batch schema's maximum). */
const BATCH = 500;
/** Unpushed events looked at per page: a run pages through them all, past those that must wait. */
const PAGE = 5_000;

/**
 * Pushes the unpushed events whose capture is no longer pending (verified, needing attention, or
 * discarded) and not another user's, oldest first, in batches, marking each batch pushed after the
 * server accepted it. Events of captures still uploading, or of another user's, wait, so the server never
 * hears of a capture before its upload; the run pages past them, so however many wait, the events behind
 * them still go. Transport errors propagate; marking is idempotent on the server, so a retry after a
 * crash only repeats a batch.
 */
export async function pushDeviceEvents(ctx: SyncContext, pageSize = PAGE): Promise<number> {
  let pushed = 0;
  let after: EventsAfter | undefined;
  for (;;) {
    const page = await ctx.store.listUnpushedEvents(pageSize, after);
    pushed += await pushReady(ctx, page);
    const last = page.at(-1);
    if (page.length < pageSize || !last) return pushed;
    after = { at: last.at, id: last.id };
  }
}

/** Pushes the events of `page` that may go now (see {@link pushDeviceEvents}); how many went. */
async function pushReady(ctx: SyncContext, page: DeviceEventRecord[]): Promise<number> {
  const ids = [...new Set(page.map((e) => e.captureId))];
  const captures = await Promise.all(ids.map((id) => ctx.store.getCapture(id)));
  // Another user's captures are theirs to report, under their own session.
  const waiting = new Set(
    captures
      .filter(
        (c) => c !== undefined && (PENDING_STATES.includes(c.state) || !belongsTo(c, ctx.owner)),
      )
      .map((c) => c?.captureId),
  );
  const ready = page.filter((e) => !waiting.has(e.captureId));
  for (let i = 0; i < ready.length; i += BATCH) {
    const batch = ready.slice(i, i + BATCH);
    await ctx.transport.pushEvents({ events: batch.map(toWireEvent) });
    await ctx.store.markEventsPushed(batch.map((e) => e.id));
  }
  return ready.length;
}
