// A fake FieldVault server + storage for engine tests: validates with the shared schemas, stores bytes, records every call, injects faults.
import { createHash, randomUUID } from 'node:crypto';
import { partPlan } from '@fieldvault/shared/parts';
import {
  deviceEventBatch,
  signPartsInput,
  uploadBeginInput,
  uploadBeginOutput,
  uploadCompleteInput,
  uploadCompleteOutput,
  type DeviceEvent,
  type FileRecord,
  type UploadAbortOutput,
  type UploadBeginInput,
  type UploadBeginOutput,
  type UploadCompleteOutput,
  type UploadListPartsOutput,
} from '@fieldvault/shared/schemas';
import type { PutRequest, SyncTransport } from '../transport';
import { TransportError } from '../transport';
import type { CrashSwitch } from './crash';
import { assemble, fileRecordOf, md5, rpcError, urlFor, type Session } from './fake-storage';

export { rpcError } from './fake-storage';

/** The procedures and the byte route. */
export type Proc =
  'begin' | 'signParts' | 'listParts' | 'complete' | 'abort' | 'pushEvents' | 'put';

/** One call as the server saw it. */
export interface Call {
  proc: Proc;
  sessionId?: string;
  partNumber?: number;
  /** For `put`: stored, or refused with this status. */
  status?: number;
}

/** What a fault does to a call: fail it, crash the process before/after the server acts, corrupt bytes, or hold it. */
export type FaultAction =
  | { error: TransportError }
  | { crash: 'before' | 'after' }
  | { corrupt: 'in-flight' | 'stored' }
  | { hold: Promise<void> };

/** Decides on a call; `undefined` lets it through. */
export type Fault = (call: Call) => FaultAction | undefined;

/** Options of {@link FakeServer}. */
export interface FakeServerOptions {
  now: () => number;
  urlTtlMs?: number;
  /** Part URLs `begin` hands out up front; the rest come from `signParts`. */
  initialPartUrls?: number;
  crash?: CrashSwitch;
  /**
   * Answer small files with a one-part multipart session, as the real server does when storage can bind
   * neither a SHA-256 nor an MD5 to a single PUT (uploads.presign.ts `planSession`).
   */
  singleAsOnePart?: boolean;
}

/** In-memory server + storage implementing {@link SyncTransport}. */
export class FakeServer implements SyncTransport {
  readonly calls: Call[] = [];
  readonly files = new Map<string, FileRecord>();
  readonly sessions = new Map<string, Session>();
  readonly events = new Map<string, DeviceEvent>();
  /** Call index of each pushed event (to check events come after their uploads). */
  readonly eventPushedAt = new Map<string, number>();
  offline = false;
  crash: CrashSwitch | undefined;
  private faults: { fault: Fault; times: number }[] = [];
  private readonly now: () => number;
  private readonly urlTtlMs: number;
  private readonly initialPartUrls: number;
  private readonly singleAsOnePart: boolean;

  constructor(options: FakeServerOptions) {
    this.now = options.now;
    this.urlTtlMs = options.urlTtlMs ?? 15 * 60_000;
    this.initialPartUrls = options.initialPartUrls ?? 2;
    this.singleAsOnePart = options.singleAsOnePart ?? false;
    this.crash = options.crash;
  }

  /** Adds a fault that acts on up to `times` matching calls. */
  inject(fault: Fault, times = 1): void {
    this.faults.push({ fault, times });
  }

  /** Fails the next `times` calls of `proc` with `error`. */
  failNext(proc: Proc, error: TransportError, times = 1): void {
    this.inject((c) => (c.proc === proc ? { error } : undefined), times);
  }

  /** Calls of one procedure. */
  callsOf(proc: Proc): Call[] {
    return this.calls.filter((c) => c.proc === proc);
  }

  /** PUTs storage accepted, as `partNumber` lists per session. */
  storedPuts(): Call[] {
    return this.calls.filter((c) => c.proc === 'put' && c.status === 200);
  }

  private faultFor(call: Call): FaultAction | undefined {
    for (const entry of this.faults) {
      const action = entry.times > 0 ? entry.fault(call) : undefined;
      if (action) {
        entry.times--;
        return action;
      }
    }
    return undefined;
  }

  /** Common entry of every call: dead process, offline, injected failure or crash-before. */
  private async enter(call: Call): Promise<FaultAction | undefined> {
    if (this.crash?.crashed) return this.crash.hang();
    if (this.offline) throw new TransportError({ status: null });
    const action = this.faultFor(call);
    if (action && 'crash' in action && action.crash === 'before') {
      // The request never reached the server: not recorded.
      this.crash?.crash();
      return this.crash?.hang();
    }
    this.calls.push(call);
    if (action && 'error' in action) throw action.error;
    if (action && 'hold' in action) await action.hold;
    return action;
  }

  /** Common exit: crash-after makes the client never see the answer. */
  private async leave<T>(action: FaultAction | undefined, value: T): Promise<T> {
    if (action && 'crash' in action && action.crash === 'after') {
      this.crash?.crash();
      return this.crash?.hang() ?? value;
    }
    return value;
  }

  private urlOptions() {
    return { now: this.now(), ttlMs: this.urlTtlMs };
  }

  private answerSession(session: Session): UploadBeginOutput {
    if (session.kind === 'single') {
      const { url, headers, expiresAt } = urlFor(session, this.urlOptions(), 1);
      return {
        state: 'single',
        sessionId: session.id,
        put: { method: 'PUT', url, headers, expiresAt },
      };
    }
    const first = Math.min(this.initialPartUrls, session.partCount);
    const parts = Array.from({ length: first }, (_, i) =>
      urlFor(session, this.urlOptions(), i + 1),
    );
    return {
      state: 'multipart',
      sessionId: session.id,
      partSize: session.partSize,
      partCount: session.partCount,
      parts,
    };
  }

  private openSession(input: UploadBeginInput): Session {
    for (const s of this.sessions.values())
      if (s.input.captureId === input.captureId && s.state === 'open') return s;
    const plan = partPlan(input.size);
    const session: Session = {
      id: randomUUID(),
      input,
      kind: this.singleAsOnePart ? 'multipart' : plan.kind,
      partSize: plan.kind === 'single' ? plan.size : plan.partSize,
      partCount: plan.kind === 'single' ? 1 : plan.partCount,
      parts: new Map(),
      state: 'open',
    };
    this.sessions.set(session.id, session);
    return session;
  }

  async begin(raw: UploadBeginInput): Promise<UploadBeginOutput> {
    const action = await this.enter({ proc: 'begin' });
    const input = uploadBeginInput.parse(raw);
    const file = this.files.get(input.captureId);
    if (file?.status === 'verified') return this.leave(action, { state: 'verified', file });
    const session = this.openSession(input);
    return this.leave(action, uploadBeginOutput.parse(this.answerSession(session)));
  }

  private session(sessionId: string): Session {
    const session = this.sessions.get(sessionId);
    if (!session || session.state !== 'open') throw rpcError('NOT_FOUND');
    return session;
  }

  async signParts(raw: { sessionId: string; partNumbers: number[] }) {
    const input = signPartsInput.parse(raw);
    const action = await this.enter({ proc: 'signParts', sessionId: input.sessionId });
    const session = this.session(input.sessionId);
    return this.leave(action, {
      parts: input.partNumbers.map((n) => urlFor(session, this.urlOptions(), n)),
    });
  }

  async listParts(input: { sessionId: string }): Promise<UploadListPartsOutput> {
    const action = await this.enter({ proc: 'listParts', sessionId: input.sessionId });
    const session = this.session(input.sessionId);
    const parts = [...session.parts].map(([partNumber, p]) => ({
      partNumber,
      etag: p.etag,
      size: p.bytes.length,
    }));
    parts.sort((a, b) => a.partNumber - b.partNumber);
    const { id: sessionId, kind, partCount } = session;
    return this.leave(action, { sessionId, kind, partCount, parts });
  }

  async abort(input: { sessionId: string }): Promise<UploadAbortOutput> {
    const action = await this.enter({ proc: 'abort', sessionId: input.sessionId });
    const session = this.sessions.get(input.sessionId);
    if (session) session.state = 'aborted';
    return this.leave(action, { sessionId: input.sessionId, state: 'aborted' as const });
  }

  async pushEvents(raw: { events: DeviceEvent[] }) {
    const action = await this.enter({ proc: 'pushEvents' });
    const { events } = deviceEventBatch.parse(raw);
    let accepted = 0;
    let duplicates = 0;
    for (const e of events) {
      if (this.events.has(e.id)) duplicates++;
      else accepted++;
      this.events.set(e.id, e);
      if (!this.eventPushedAt.has(e.id)) this.eventPushedAt.set(e.id, this.calls.length - 1);
    }
    return this.leave(action, { accepted, duplicates, skewFlagged: [] });
  }

  async complete(raw: {
    sessionId: string;
    parts?: { partNumber: number; etag: string }[];
  }): Promise<UploadCompleteOutput> {
    const input = uploadCompleteInput.parse(raw);
    const action = await this.enter({ proc: 'complete', sessionId: input.sessionId });
    const ended = this.sessions.get(input.sessionId)?.verdict;
    if (ended) return this.leave(action, ended);
    const session = this.session(input.sessionId);
    const bytes = assemble(session, input.parts);
    const actual = createHash('sha256').update(bytes).digest('hex');
    const ok = actual === session.input.sha256;
    session.state = ok ? 'completed' : 'mismatch';
    const file = fileRecordOf(session, {
      status: ok ? 'verified' : 'mismatch',
      size: bytes.length,
      at: this.now(),
    });
    if (ok) this.files.set(session.input.captureId, file);
    const answer = ok
      ? { state: 'verified' as const, file }
      : { state: 'mismatch' as const, file, actualSha256: actual };
    session.verdict = uploadCompleteOutput.parse(answer);
    return this.leave(action, session.verdict);
  }

  async putBytes(request: PutRequest, body: Blob, signal?: AbortSignal): Promise<{ etag: string }> {
    const url = new URL(request.url);
    const [, sessionId = '', part = '0'] = url.pathname.split('/');
    const call: Call = { proc: 'put', sessionId, partNumber: Number(part) };
    const action = await this.enter(call);
    signal?.throwIfAborted();
    const bytes = new Uint8Array(await body.arrayBuffer());
    const refuse = (status: number, storageCode: string) => {
      call.status = status;
      return new TransportError({ status, storageCode });
    };
    const session = this.sessions.get(sessionId);
    if (!session || session.state !== 'open') throw refuse(404, 'NoSuchUpload');
    if (this.now() > Number(url.searchParams.get('expires'))) throw refuse(403, 'expired');
    if (action && 'corrupt' in action && action.corrupt === 'in-flight')
      bytes[0] = (bytes[0] ?? 0) ^ 0xff;
    const contentMd5 = request.headers['content-md5'];
    if (contentMd5 && contentMd5 !== md5(bytes, 'base64')) throw refuse(400, 'BadDigest');
    if (session.kind === 'single' && session.parts.has(1)) throw refuse(412, 'PreconditionFailed');
    if (action && 'corrupt' in action && action.corrupt === 'stored')
      bytes[0] = (bytes[0] ?? 0) ^ 0xff;
    const etag = `"${md5(bytes, 'hex')}"`;
    session.parts.set(call.partNumber ?? 0, { etag, bytes });
    call.status = 200;
    return this.leave(action, { etag });
  }
}
