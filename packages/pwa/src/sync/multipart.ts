// Multipart upload of one capture: resume from what storage holds, PUT the missing parts in parallel, persist each ETag as it lands.
import type { DonePart, UploadRecord } from '../outbox/schema';
import { classifyError, whileSessionOpen } from './classify';
import type { SyncContext } from './context';
import { createUrlPool, type UrlPool } from './part-urls';

/** One multipart job. */
export interface PartsJob {
  captureId: string;
  blob: Blob;
  session: UploadRecord;
  /** True when this session was already ours before this attempt: ask storage what it holds first. */
  resumed: boolean;
  signal: AbortSignal;
}

/** Byte range of part `n` in the session's layout (the server's part size is authoritative). */
export function partBytes(session: UploadRecord, size: number, n: number) {
  const start = (n - 1) * session.partSize;
  return { start, end: Math.min(start + session.partSize, size) };
}

/**
 * True when the server answered that it is completing this session (`IN_PROGRESS`): a `complete` was sent
 * before the device crashed, so every part was stored and its ETag saved here first. Resuming then goes
 * straight to `complete`, which waits for that verdict or takes over a dead completer's lapsed claim —
 * asking `listParts` again would be answered the same way until someone calls `complete`.
 */
export function isBeingCompleted(error: unknown): boolean {
  const failure = classifyError(error);
  return failure.kind === 'retry' && failure.code === 'IN_PROGRESS';
}

/** After a crash the device may have lost ETags of parts storage did receive: storage's list wins. */
async function knownParts(ctx: SyncContext, job: PartsJob): Promise<DonePart[]> {
  if (!job.resumed) return job.session.doneParts;
  let listed;
  try {
    const sessionId = job.session.sessionId;
    listed = await whileSessionOpen(() => ctx.transport.listParts({ sessionId }, job.signal));
  } catch (error) {
    const allSaved = job.session.doneParts.length === job.session.partCount;
    if (allSaved && isBeingCompleted(error)) return job.session.doneParts;
    throw error;
  }
  const parts = listed.parts.map(({ partNumber, etag }) => ({ partNumber, etag }));
  await ctx.store.setDoneParts({ captureId: job.captureId, parts, now: ctx.clock.now() });
  return parts;
}

/**
 * PUTs one part (re-signing once if storage says the URL expired) and starts persisting its ETag at once;
 * the caller holds a PUT slot. Resolves with the part as soon as storage answered, so the next part's PUT
 * does not wait on IndexedDB (a loaded device takes hundreds of ms per write); `saved` settles when the
 * ETag is in the outbox.
 */
async function putPart(
  ctx: SyncContext,
  job: PartsJob,
  pool: UrlPool,
  part: { n: number; body: Blob },
): Promise<{ part: DonePart; saved: Promise<unknown> }> {
  const { n, body } = part;
  for (let tries = 0; ; tries++) {
    const url = await pool.get(n);
    try {
      const request = { url: url.url, method: 'PUT' as const, headers: url.headers };
      const { etag } = await ctx.transport.putBytes(request, body, job.signal);
      const part = { partNumber: n, etag };
      const saved = ctx.store.recordDonePart({
        captureId: job.captureId,
        part,
        now: ctx.clock.now(),
      });
      ctx.addBytes(job.captureId, body.size);
      return { part, saved };
    } catch (error) {
      if (tries > 0 || classifyError(error).kind !== 'url-expired') throw error;
      pool.invalidate(n);
    }
  }
}

/** The parts storage does not hold yet, ascending. */
function missingParts(session: UploadRecord, have: Set<number>): number[] {
  return Array.from({ length: session.partCount }, (_, i) => i + 1).filter((n) => !have.has(n));
}

/**
 * How many lanes send parts of one file: `partConcurrency` take PUT slots in turn with other files, and up
 * to `idlePartConcurrency` in all take only slots no other file waits for (a file alone, such as a large
 * one the window lets go by itself, uses every slot). Bytes in flight stay within `totalConcurrency` parts.
 */
function partLanes(ctx: SyncContext): { turn: number; all: number } {
  const { partConcurrency, idlePartConcurrency, totalConcurrency } = ctx.options;
  const turn = Math.max(1, partConcurrency);
  return { turn, all: Math.max(turn, Math.min(idlePartConcurrency, totalConcurrency)) };
}

/**
 * Uploads the parts storage does not hold yet (see {@link partLanes}). A lane takes the next part only
 * once it holds a PUT slot, so a lane waiting for a spare slot keeps no part back. On the first failure
 * no new part starts; parts already in flight finish and keep their ETags. Resolves, once every ETag is
 * saved, with every part, ascending, ready for `uploads.complete`.
 */
export async function uploadParts(ctx: SyncContext, job: PartsJob): Promise<DonePart[]> {
  const done = [...(await knownParts(ctx, job))];
  const have = new Set(done.map((p) => p.partNumber));
  for (const n of have) {
    const { start, end } = partBytes(job.session, job.blob.size, n);
    ctx.addBytes(job.captureId, end - start);
  }
  const missing = missingParts(job.session, have);
  // Sliced now, before any PUT is in flight: slicing a Blob read from IndexedDB is a synchronous call to
  // Chromium's browser process, ~0.5 ms while it is idle but ~20 ms while it carries 6 uploads, and it
  // blocks the page each time (the sync bench: every next part started 20-30 ms late).
  const bodies = new Map(
    missing.map((n) => {
      const { start, end } = partBytes(job.session, job.blob.size, n);
      return [n, job.blob.slice(start, end)] as const;
    }),
  );
  const pool = createUrlPool(ctx, { session: job.session, order: missing, signal: job.signal });
  let failure: { error: unknown } | null = null;
  const stop = () => failure !== null || job.signal.aborted;
  const saves: Promise<unknown>[] = [];
  let next = 0;
  // Spare lanes still waiting for a slot give up once no part is left to take (or the upload stops).
  const noMore = new AbortController();
  const giveUp = () => noMore.abort();
  job.signal.addEventListener('abort', giveUp, { once: true });
  // One part in a held slot; false when none is left to send.
  const sendNext = async () => {
    const n = missing[next];
    if (n === undefined || stop()) return false;
    if (++next === missing.length) giveUp();
    try {
      const body = bodies.get(n) as Blob;
      bodies.delete(n);
      const { part, saved } = await putPart(ctx, job, pool, { n, body });
      done.push(part);
      saves.push(saved);
    } catch (error) {
      failure ??= { error };
      giveUp();
    }
    return true;
  };
  const lanes = partLanes(ctx);
  const lane = async (i: number) => {
    const inTurn = i < lanes.turn;
    while (next < missing.length && !stop()) {
      const sent = inTurn
        ? await ctx.limiter.run(sendNext)
        : await ctx.limiter.runSpare(sendNext, noMore.signal);
      if (!sent) return;
    }
  };
  await Promise.all(Array.from({ length: lanes.all }, (_, i) => lane(i)));
  job.signal.removeEventListener('abort', giveUp);
  // Every stored part's ETag is saved before anything else happens: a resume after a failure needs them,
  // and `uploads.complete` must never name a part the outbox does not hold.
  const unsaved = (await Promise.allSettled(saves)).find((r) => r.status === 'rejected');
  if (failure) throw (failure as { error: unknown }).error;
  if (unsaved) throw unsaved.reason;
  job.signal.throwIfAborted();
  return done.sort((a, b) => a.partNumber - b.partNumber);
}
