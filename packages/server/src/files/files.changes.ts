// `files.changes`: the org's file events as a resumable stream (tRPC subscription over SSE), fed by the events outbox.
import { tracked, type TrackedEnvelope } from '@trpc/server';
import type { FileEvent, FilesChangesInput } from '@fieldvault/shared/schemas';
import type { Database } from '../db/database.js';
import { watchOrg } from '../events/events.notifier.js';
import {
  findFileEventSeq,
  latestFileEventSeq,
  listFileEventsAfter,
} from '../events/events.repository.js';
import { toFileEvent } from '../events/events.writer.js';
import type { SessionInfo } from '../trpc/context.js';

/** Events read per round trip. */
const BATCH = 100;
/**
 * Re-read this often even without a wake-up: a safety net for a lost NOTIFY (listener reconnecting)
 * or a replica without a listener. Wake-ups make delivery immediate in the normal case.
 */
export const CHANGES_POLL_MS = 10_000;

/** Where a stream starts: after the client's last event, or at the head (only new events). */
async function startSeq(db: Database, q: { orgId: string; lastEventId?: string | null }) {
  if (q.lastEventId) {
    const seq = await findFileEventSeq(db, { orgId: q.orgId, id: q.lastEventId });
    // Unknown ids — including another org's — start at the head: nothing leaks, nothing repeats.
    if (seq !== undefined) return seq;
  }
  return latestFileEventSeq(db, q.orgId);
}

/**
 * Yield the caller's org's events in seq order, each `tracked` by its id so `httpSubscriptionLink`
 * resumes after it on reconnect. The waiter is registered before the first read so a commit between
 * a read and the wait still wakes us; rows are always read from the database, never from the
 * wake-up, so only committed events are sent, exactly once per stream.
 */
export async function* fileChanges(
  deps: { db: Database; session: SessionInfo },
  input: FilesChangesInput,
  signal?: AbortSignal,
): AsyncGenerator<TrackedEnvelope<FileEvent>> {
  const orgId = deps.session.orgId;
  const waiter = watchOrg(orgId);
  try {
    let after = await startSeq(deps.db, { orgId, lastEventId: input?.lastEventId ?? null });
    while (!signal?.aborted) {
      const rows = await listFileEventsAfter(deps.db, { orgId, afterSeq: after, limit: BATCH });
      for (const row of rows) {
        after = row.seq;
        yield tracked(row.id, toFileEvent(row));
      }
      if (rows.length < BATCH) await waiter.wait(CHANGES_POLL_MS, signal);
    }
  } finally {
    waiter.close();
  }
}
