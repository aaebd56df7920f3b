// Hostile-input kit: the real app listening on loopback, two orgs, per-role session cookies and a raw HTTP caller.
import { createServer, type AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { CSRF_HEADER, TRPC_PATH } from '@fieldvault/shared/http';
import type { Role } from '../db/schema.js';
import type { DbKind } from '../test/db.js';
import { createHarness, type Harness } from '../test/harness.js';
import { takeSnapshot, type Snapshot } from './snapshot.js';

export type Org = Awaited<ReturnType<Harness['seedOrg']>>;
export type Who = Role | 'anonymous';
export const WHO: readonly Who[] = ['field', 'office', 'admin', 'auditor', 'anonymous'];

/** What one HTTP call answered: status, the raw text and, when it was JSON, the tRPC error's data. */
export interface Answer {
  status: number;
  text: string;
  json: unknown;
  error: { message: string; data: Record<string, unknown> } | null;
}

export interface CallOptions {
  /** `query` → GET with `?input=`, otherwise POST with the body. */
  type: 'query' | 'mutation' | 'subscription';
  /** The input as JSON text exactly as sent (may be deliberately malformed); undefined = none. */
  wire?: string | undefined;
  cookie?: string;
  /** Extra headers (they win over the defaults). */
  headers?: Record<string, string>;
  /** Leave out the CSRF header (a cross-site form or fetch cannot set it). */
  omitCsrf?: boolean;
}

export interface HostileKit {
  h: Harness;
  app: FastifyInstance;
  base: string;
  orgA: Org;
  orgB: Org;
  /** A fresh session cookie for `who` in org A (or B); empty for anonymous. */
  cookieFor(who: Who, org?: Org): Promise<string>;
  call(path: string, options: CallOptions): Promise<Answer>;
  snapshot(): Promise<Snapshot>;
  destroy(): Promise<void>;
}

/** A port that was free a moment ago (the public URL, which fs presigned URLs use, must be known first). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Parse an answer body: tRPC errors keep `error.message` and `error.data`; anything else stays text. */
export function readAnswer(status: number, text: string): Answer {
  let json: unknown = null;
  try {
    json = JSON.parse(text);
  } catch {
    json = null;
  }
  const raw = (json as { error?: { message?: unknown; data?: unknown } } | null)?.error;
  const error =
    raw && typeof raw.message === 'string' && raw.data && typeof raw.data === 'object'
      ? { message: raw.message, data: raw.data as Record<string, unknown> }
      : null;
  return { status, text, json, error };
}

/** Send one tRPC call over loopback HTTP; subscriptions are cut off once the headers arrive. */
async function send(base: string, path: string, o: CallOptions): Promise<Answer> {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    ...(o.omitCsrf ? {} : { [CSRF_HEADER]: '1' }),
    ...(o.cookie ? { cookie: o.cookie } : {}),
    ...o.headers,
  };
  const url = `${base}${TRPC_PATH}/${path}`;
  const isGet = o.type !== 'mutation';
  const target = isGet && o.wire !== undefined ? `${url}?input=${encodeURIComponent(o.wire)}` : url;
  const abort = new AbortController();
  const res = await fetch(target, {
    method: isGet ? 'GET' : 'POST',
    headers,
    signal: abort.signal,
    ...(isGet || o.wire === undefined ? {} : { body: o.wire }),
  });
  if (o.type === 'subscription' && res.headers.get('content-type')?.includes('event-stream')) {
    const answer = await readStreamError(res);
    abort.abort();
    return answer;
  }
  return readAnswer(res.status, await res.text());
}

/**
 * An SSE subscription answers 200 and reports a refusal as one `serialized-error` event (the error
 * shape, `data.httpStatus` included), then ends. An accepted one streams on: after a short wait
 * with no error event, its 200 is the answer.
 */
async function readStreamError(res: Response): Promise<Answer> {
  const reader: ReadableStreamDefaultReader<Uint8Array> | undefined = res.body?.getReader();
  const decoder = new TextDecoder();
  let text = '';
  const deadline = Date.now() + 500;
  while (reader && Date.now() < deadline) {
    const chunk: { done: boolean; value?: Uint8Array | undefined } | null = await Promise.race([
      reader.read(),
      new Promise<null>((resolve) => setTimeout(() => resolve(null), deadline - Date.now())),
    ]);
    if (!chunk || chunk.done) break;
    text += decoder.decode(chunk.value, { stream: true });
    const event = /event: serialized-error\ndata: (.*)\n/.exec(text);
    if (event?.[1]) {
      const shape = JSON.parse(event[1]) as { data?: { httpStatus?: number } };
      return readAnswer(shape.data?.httpStatus ?? 500, JSON.stringify({ error: shape }));
    }
  }
  return { status: res.status, text, json: null, error: null };
}

/** Start the app on a free loopback port over a fresh database of `kind`, with orgs `a` and `b`. */
export async function createHostileKit(kind: DbKind): Promise<HostileKit> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const h = await createHarness(kind, { FIELDVAULT_PUBLIC_URL: base });
  // The per-IP login cap is tested on its own; here it would only turn login fuzzing into 429s.
  const app = await h.http({ loginRateLimitPerMinute: 100_000 });
  await app.listen({ host: '127.0.0.1', port });
  const [orgA, orgB] = [await h.seedOrg('a'), await h.seedOrg('b')];
  return {
    h,
    app,
    base,
    orgA,
    orgB,
    async cookieFor(who, org = orgA) {
      if (who === 'anonymous') return '';
      return `fv_session=${(await h.sessionFor(org.users[who])).token}`;
    },
    call: (path, options) => send(base, path, options),
    snapshot: () => takeSnapshot(h.deps),
    destroy: () => h.destroy(),
  };
}
