// One capture's upload: begin → PUT the bytes (single or multipart) → complete, saving progress after every step.
import type {
  UploadBeginInput,
  UploadBeginOutput,
  UploadCompleteOutput,
} from '@fieldvault/shared/schemas';
import { CaptureNotFoundError } from '../outbox/captures';
import type { CaptureRecord, StoredUrl, UploadRecord } from '../outbox/schema';
import { ensureUploadMd5s, uploadMd5sOf } from '../outbox/upload-md5s';
import {
  classifyError,
  LocalCopyMissingError,
  whileBytesStored,
  whileSessionOpen,
} from './classify';
import type { SyncContext } from './context';
import { isBeingCompleted, uploadParts } from './multipart';

/** How the server judged the upload. */
export type ItemOutcome =
  { kind: 'verified'; fileId: string } | { kind: 'mismatch'; message: string };

/** The `uploads.begin` input of a capture (only the fields the shared schema allows). */
export function beginInput(capture: CaptureRecord): UploadBeginInput {
  return {
    captureId: capture.captureId,
    filename: capture.filename,
    size: capture.size,
    contentType: capture.contentType,
    sha256: capture.sha256,
    ...uploadMd5sOf(capture),
    ...capture.target,
    ...(capture.meta ? { meta: capture.meta } : {}),
  };
}

type OpenSession = Exclude<UploadBeginOutput, { state: 'verified' }>;

function urlsOf(begin: OpenSession): StoredUrl[] {
  if (begin.state === 'single') {
    const { url, headers, expiresAt } = begin.put;
    return [{ partNumber: 1, url, headers, expiresAt: Date.parse(expiresAt) }];
  }
  return begin.parts.map((p) => ({ ...p, expiresAt: Date.parse(p.expiresAt) }));
}

/**
 * Stores the session `begin` answered. When it is the session we already had (begin is idempotent on
 * captureId), the attempt resumes it; a new session id means a fresh start (the old one expired or
 * ended in a mismatch).
 */
async function adoptSession(ctx: SyncContext, capture: CaptureRecord, begin: OpenSession) {
  const now = ctx.clock.now();
  const fresh = urlsOf(begin);
  const build = (existing: UploadRecord | undefined): UploadRecord => {
    const resumed = existing?.sessionId === begin.sessionId;
    const keep = resumed
      ? existing.urls.filter((u) => !fresh.some((f) => f.partNumber === u.partNumber))
      : [];
    return {
      captureId: capture.captureId,
      sessionId: begin.sessionId,
      kind: begin.state,
      partSize: begin.state === 'single' ? capture.size : begin.partSize,
      partCount: begin.state === 'single' ? 1 : begin.partCount,
      doneParts: resumed ? existing.doneParts : [],
      urls: [...keep, ...fresh].sort((a, b) => a.partNumber - b.partNumber),
      createdAt: resumed ? existing.createdAt : now,
      updatedAt: now,
    };
  };
  // Read and written in one step, which the answers of one batch of begins share.
  const { previous, session } = await ctx.store
    .upsertUpload({ captureId: capture.captureId, build })
    .catch(async (error: unknown) => {
      // Discarded (in another tab) while begin was on the way: that tab could not abort this session.
      if (error instanceof CaptureNotFoundError)
        await ctx.transport.abort({ sessionId: begin.sessionId }).catch(() => undefined);
      throw error;
    });
  return { session, previous, resumed: previous?.sessionId === begin.sessionId };
}

/** The engine's reading of `uploads.complete`'s answer. */
function outcomeOf(answer: UploadCompleteOutput): ItemOutcome {
  if (answer.state === 'verified') return { kind: 'verified', fileId: answer.file.id };
  return {
    kind: 'mismatch',
    message: `Storage holds different bytes (SHA-256 ${answer.actualSha256}).`,
  };
}

/**
 * The verdict of a session this device held when `begin` answered with another one: it ended without the
 * device hearing how (its `complete` answer was lost). `complete` answers an ended session's verdict again,
 * so a mismatch still counts toward the limit. Null when it has none (it expired or was never completed).
 */
async function lostVerdict(
  ctx: SyncContext,
  sessionId: string,
  signal: AbortSignal,
): Promise<ItemOutcome | null> {
  try {
    return outcomeOf(await ctx.transport.complete({ sessionId }, signal));
  } catch (error) {
    const { kind } = classifyError(error);
    if (kind === 'session-lost' || kind === 'permanent') return null;
    throw error;
  }
}

/**
 * True when storage already holds the single PUT of a resumed session (the device died before it saved
 * the ETag): `listParts` shows the object as part 1 once it landed.
 */
async function singleLanded(ctx: SyncContext, job: { session: UploadRecord; signal: AbortSignal }) {
  const { sessionId, captureId } = job.session;
  let listed;
  try {
    listed = await whileSessionOpen(() => ctx.transport.listParts({ sessionId }, job.signal));
  } catch (error) {
    // Being completed: the PUT landed before `complete` was sent; `complete` gives the verdict.
    if (isBeingCompleted(error)) return true;
    throw error;
  }
  const part = listed.parts.find((p) => p.partNumber === 1);
  if (!part) return false;
  await ctx.store.setDoneParts({
    captureId,
    parts: [{ partNumber: 1, etag: part.etag }],
    now: ctx.clock.now(),
  });
  return true;
}

/**
 * The single PUT, unless it already landed; a 412 (object exists, If-None-Match) also means it did. Its
 * ETag is not saved: `uploads.complete` of a single PUT needs none, and a resumed session asks storage
 * (`listParts`) whether the object landed, so one IndexedDB write per receipt is saved and nothing is sent
 * twice.
 */
async function putSingle(
  ctx: SyncContext,
  job: { session: UploadRecord; resumed: boolean; blob: Blob; signal: AbortSignal },
) {
  const { session, blob, signal } = job;
  const url = session.urls.find((u) => u.partNumber === 1);
  const done =
    session.doneParts.some((p) => p.partNumber === 1) ||
    (job.resumed && (await singleLanded(ctx, job)));
  if (!done && url) {
    try {
      const request = { url: url.url, method: 'PUT' as const, headers: url.headers };
      await ctx.limiter.run(() => ctx.transport.putBytes(request, blob, signal));
    } catch (error) {
      if (classifyError(error).kind !== 'already-stored') throw error;
    }
  }
  ctx.addBytes(session.captureId, blob.size);
}

/** Records the start of an attempt: the capture becomes `uploading`, with a `sync_attempt` device event. */
async function startAttempt(ctx: SyncContext, capture: CaptureRecord): Promise<void> {
  const { captureId } = capture;
  const now = ctx.clock.now();
  const event = {
    id: ctx.newId(),
    kind: 'sync_attempt' as const,
    captureId,
    deviceLabel: ctx.deviceLabel,
    now,
    sha256: capture.sha256,
  };
  await ctx.store.startAttempt({ captureId, now, event });
  ctx.events.emit('item-state', { captureId, state: 'uploading', error: null });
}

/** One capture's upload job. */
export interface ItemJob {
  capture: CaptureRecord;
  blob: Blob | undefined;
  signal: AbortSignal;
  /** Called once every byte is stored (before `uploads.complete`): the run may start the next file. */
  onSent?: () => void;
  /** Called when the server answered `begin`: the network is there, the run may open its window. */
  onAnswered?: () => void;
}

/** Uploads one capture whose bytes are `blob`. Throws transport errors (and a missing local copy) for the engine to classify. */
export async function uploadItem(ctx: SyncContext, job: ItemJob): Promise<ItemOutcome> {
  const { blob, signal } = job;
  // The upload MD5s are computed after "Saved": join or redo that pass if they are not stored yet.
  const md5s = blob ? await ensureUploadMd5s(ctx.store, { ...job, blob, pass: ctx.md5s }) : {};
  const capture = { ...job.capture, ...md5s };
  // A paused or discarded item may wait in a batch queue: check again when its call is about to go. The
  // attempt is recorded (`uploading` and its `sync_attempt` event) as the batch leaves, so the receipts of
  // one batch share one IndexedDB transaction, and their calls, made as it commits, one HTTP request.
  const begin = await ctx.calls.begin.run(async () => {
    signal.throwIfAborted();
    await startAttempt(ctx, capture);
    signal.throwIfAborted();
    return ctx.transport.begin(beginInput(capture), signal);
  });
  job.onAnswered?.();
  if (begin.state === 'verified') return { kind: 'verified', fileId: begin.file.id };
  if (!blob) throw new LocalCopyMissingError();
  const { session, resumed, previous } = await adoptSession(ctx, capture, begin);
  if (previous && !resumed) {
    const verdict = await lostVerdict(ctx, previous.sessionId, signal);
    if (verdict) return verdict;
  }
  const parts =
    begin.state === 'single'
      ? (await putSingle(ctx, { session, resumed, blob, signal }), undefined)
      : await uploadParts(ctx, { captureId: capture.captureId, blob, session, resumed, signal });
  // The bytes are stored and every ETag saved: the PUT slots can go to the next receipts while the
  // server verifies this one.
  job.onSent?.();
  const sessionId = begin.sessionId;
  const input = parts ? { sessionId, parts } : { sessionId };
  // `verifying` is written as the complete batch leaves (one transaction for the batch); a capture
  // discarded meanwhile fails that write, and its complete is never sent.
  const result = await ctx.calls.complete.run(async () => {
    signal.throwIfAborted();
    const { captureId } = capture;
    await ctx.store.transitionCapture({ captureId, to: 'verifying', now: ctx.clock.now() });
    ctx.events.emit('item-state', { captureId, state: 'verifying', error: null });
    signal.throwIfAborted();
    return whileBytesStored(() => ctx.transport.complete(input, signal));
  });
  return outcomeOf(result);
}
