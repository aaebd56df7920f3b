// Group commit for fsync: callers that need the same file or directory flushed share one flush, as a database shares a log flush.
import { open } from 'node:fs/promises';

/**
 * Per path: the flush running now, and the one queued behind it. A caller is answered by a flush
 * that *started* after it called (writes made before it began are on disk when it resolves), so a
 * caller arriving while one runs waits for the queued one, which every later caller shares too.
 * With 4 parts in flight this turns 4 fdatasyncs (each seconds long on a busy disk) into 1–2.
 */
interface Lane {
  running: Promise<void> | undefined;
  queued: Promise<void> | undefined;
}

const lanes = new Map<string, Lane>();

async function flush(p: string, dataOnly: boolean): Promise<void> {
  const fh = await open(p, 'r');
  try {
    await (dataOnly ? fh.datasync() : fh.sync());
  } finally {
    await fh.close();
  }
}

function start(p: string, lane: Lane, dataOnly: boolean): Promise<void> {
  const run = flush(p, dataOnly).finally(() => {
    lane.running = undefined;
    if (!lane.queued) lanes.delete(p);
  });
  lane.running = run;
  return run;
}

/**
 * Make everything written to `p` (a file, or a directory's entries) before this call durable:
 * `fdatasync` with `dataOnly` (file contents; size changes included), else `fsync`. Concurrent
 * callers on one path share flushes; a failed flush rejects every caller that shared it.
 */
export function groupSync(p: string, dataOnly: boolean): Promise<void> {
  let lane = lanes.get(p);
  if (!lane) lanes.set(p, (lane = { running: undefined, queued: undefined }));
  if (lane.queued) return lane.queued;
  const running = lane.running;
  if (!running) return start(p, lane, dataOnly);
  const own = lane;
  const queued = running
    .catch(() => undefined)
    .then(() => {
      own.queued = undefined;
      return start(p, own, dataOnly);
    });
  own.queued = queued;
  return queued;
}
