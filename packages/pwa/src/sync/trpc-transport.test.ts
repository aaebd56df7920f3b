// The tRPC transport against a fake fetch that answers like the server's tRPC adapter: batching, CSRF header, answers checked, errors mapped.
import { describe, expect, it, vi } from 'vitest';
import { classifyError } from './classify';
import { rpcError } from './testing/fake-server';
import { NOT_UPLOADED_REASON } from '@fieldvault/shared/errors';
import { CSRF_HEADER } from '@fieldvault/shared/http';
import { createTrpcTransport, toTransportError } from './trpc-transport';

const SESSION = '0b7c6f1e-3c2a-4d5e-8f90-1a2b3c4d5e6f';

type Answer =
  | { data: unknown }
  | { error: { code: string; status: number; errorCode?: string; details?: unknown } };

/** A fetch answering each batched procedure from `answers` (tRPC's JSON batch format, no transformer). */
function trpcFetch(answers: Record<string, Answer>, extraHeaders: Record<string, string> = {}) {
  return vi.fn((input: string | URL, _init?: RequestInit) => {
    const url = new URL(input, 'http://app.test');
    const paths = url.pathname.replace('/trpc/', '').split(',');
    const results = paths.map((p) => answers[p] ?? { error: { code: 'NOT_FOUND', status: 404 } });
    const body = results.map((r) =>
      'data' in r
        ? { result: { data: r.data } }
        : {
            error: {
              message: r.error.code,
              code: -32600,
              data: {
                code: r.error.code,
                httpStatus: r.error.status,
                ...(r.error.errorCode ? { errorCode: r.error.errorCode } : {}),
                ...(r.error.details ? { details: r.error.details } : {}),
              },
            },
          },
    );
    const failed = results.find((r): r is Extract<Answer, { error: unknown }> => 'error' in r);
    const status = failed ? failed.error.status : 200;
    return Promise.resolve(
      new Response(JSON.stringify(body), {
        status,
        headers: { 'content-type': 'application/json', ...extraHeaders },
      }),
    );
  });
}

const begin = {
  captureId: '01937a3c-0000-7000-8000-000000000001',
  filename: 'r.jpg',
  size: 10,
  contentType: 'image/jpeg',
  sha256: 'a'.repeat(64),
  system: 'accounting' as const,
  objectType: 'receipt',
  objectId: 'EXP-1',
  capturedAt: '2026-11-23T12:00:00.000Z',
};
const single = {
  state: 'single',
  sessionId: SESSION,
  put: {
    method: 'PUT',
    url: 'https://s.test/o',
    headers: {},
    expiresAt: '2026-11-23T13:00:00.000Z',
  },
};

describe('tRPC transport', () => {
  it('sends mutations with the CSRF header and batches calls of one tick into one request', async () => {
    const fetchFn = trpcFetch({ 'uploads.begin': { data: single } });
    const transport = createTrpcTransport({
      url: 'http://app.test/trpc',
      fetch: fetchFn as unknown as typeof fetch,
    });
    const [a, b] = await Promise.all([
      transport.begin(begin),
      transport.begin({ ...begin, captureId: '01937a3c-0000-7000-8000-000000000002' }),
    ]);
    expect(a).toEqual(single);
    expect(b).toEqual(single);
    expect(fetchFn).toHaveBeenCalledTimes(1);
    const init = fetchFn.mock.calls[0]?.[1];
    expect(new Headers(init?.headers).get(CSRF_HEADER)).toBe('1');
  });

  it('maps a server refusal to its shared code (CONFLICT needs attention, UNAUTHENTICATED asks for sign-in)', async () => {
    const conflict = trpcFetch({
      'uploads.begin': { error: { code: 'CONFLICT', status: 409, errorCode: 'CONFLICT' } },
    });
    const t1 = createTrpcTransport({
      url: 'http://app.test/trpc',
      fetch: conflict as unknown as typeof fetch,
    });
    const e1 = await t1.begin(begin).catch((e: unknown) => e);
    expect(e1).toMatchObject({
      name: 'TransportError',
      status: 409,
      code: 'CONFLICT',
      reason: null,
    });
    expect(classifyError(e1)).toMatchObject({ kind: 'permanent', code: 'CONFLICT' });
    const unauth = trpcFetch({
      'uploads.begin': {
        error: { code: 'UNAUTHORIZED', status: 401, errorCode: 'UNAUTHENTICATED' },
      },
    });
    const t2 = createTrpcTransport({
      url: 'http://app.test/trpc',
      fetch: unauth as unknown as typeof fetch,
    });
    expect(classifyError(await t2.begin(begin).catch((e: unknown) => e))).toMatchObject({
      kind: 'auth',
    });
  });

  it("carries the refusal's details.reason (complete's CONFLICT when storage holds nothing)", async () => {
    const details = { field: 'sessionId', reason: NOT_UPLOADED_REASON };
    const answer = { error: { code: 'CONFLICT', status: 409, errorCode: 'CONFLICT', details } };
    const answering = trpcFetch({ 'uploads.complete': answer });
    const transport = createTrpcTransport({
      url: 'http://app.test/trpc',
      fetch: answering as unknown as typeof fetch,
    });
    const error = await transport.complete({ sessionId: SESSION }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'CONFLICT', reason: NOT_UPLOADED_REASON });
  });

  it('honours Retry-After on 429, treats a failed fetch as offline and a malformed answer as retryable', async () => {
    const limited = trpcFetch(
      {
        'uploads.begin': {
          error: { code: 'TOO_MANY_REQUESTS', status: 429, errorCode: 'RATE_LIMITED' },
        },
      },
      { 'retry-after': '30' },
    );
    const t1 = createTrpcTransport({
      url: 'http://app.test/trpc',
      fetch: limited as unknown as typeof fetch,
      now: () => 0,
    });
    expect(classifyError(await t1.begin(begin).catch((e: unknown) => e))).toMatchObject({
      kind: 'throttled',
      retryAfterMs: 30_000,
    });
    const down = vi.fn(() => Promise.reject(new TypeError('Failed to fetch')));
    const t2 = createTrpcTransport({
      url: 'http://app.test/trpc',
      fetch: down as unknown as typeof fetch,
    });
    expect(classifyError(await t2.begin(begin).catch((e: unknown) => e))).toMatchObject({
      kind: 'offline',
    });
    const odd = trpcFetch({ 'uploads.begin': { data: { state: 'single' } } });
    const t3 = createTrpcTransport({
      url: 'http://app.test/trpc',
      fetch: odd as unknown as typeof fetch,
    });
    expect(classifyError(await t3.begin(begin).catch((e: unknown) => e))).toMatchObject({
      kind: 'retry',
    });
  });

  it("takes a proxy's HTML error page for the server's status, not for no connection", async () => {
    const page = (status: number, headers: Record<string, string> = {}) =>
      vi.fn(() =>
        Promise.resolve(
          new Response(`<html><body>${status} from the load balancer</body></html>`, {
            status,
            headers: { 'content-type': 'text/html', ...headers },
          }),
        ),
      );
    const transport = (fetch: ReturnType<typeof page>) =>
      createTrpcTransport({
        url: 'http://app.test/trpc',
        fetch,
        now: () => 0,
      });
    const badGateway: unknown = await transport(page(502))
      .begin(begin)
      .catch((e: unknown) => e);
    expect(badGateway).toMatchObject({ status: 502, message: 'The server answered HTTP 502' });
    expect(classifyError(badGateway)).toMatchObject({ kind: 'retry', code: 'HTTP_502' });
    const unavailable = await transport(page(503, { 'retry-after': '120' }))
      .complete({ sessionId: SESSION })
      .catch((e: unknown) => e);
    expect(classifyError(unavailable)).toMatchObject({ kind: 'throttled', retryAfterMs: 120_000 });
    // Never storage's rules: a proxy's 404 is no lost session (the stored ETags stay), its 403 no expired URL.
    for (const status of [404, 403, 400, 413]) {
      const error = await transport(page(status))
        .listParts({ sessionId: SESSION })
        .catch((e: unknown) => e);
      expect(classifyError(error)).toEqual({ kind: 'offline', message: 'No connection.' });
    }
    const signedOut = await transport(page(401))
      .begin(begin)
      .catch((e: unknown) => e);
    expect(classifyError(signedOut)).toMatchObject({ kind: 'auth' });
  });

  it('reads listParts as a query and checks its shape', async () => {
    const listed = {
      sessionId: SESSION,
      kind: 'multipart',
      partCount: 3,
      parts: [{ partNumber: 1, etag: '"e"', size: 8 }],
    };
    const fetchFn = trpcFetch({ 'uploads.listParts': { data: listed } });
    const transport = createTrpcTransport({
      url: 'http://app.test/trpc',
      fetch: fetchFn as unknown as typeof fetch,
    });
    expect(await transport.listParts({ sessionId: SESSION })).toEqual(listed);
    expect(fetchFn.mock.calls[0]?.[1]?.method ?? 'GET').toBe('GET');
  });

  it('leaves TransportErrors and aborts as they are', () => {
    const e = rpcError('INTERNAL');
    expect(toTransportError(e, 0)).toBe(e);
    const abort = new DOMException('x', 'AbortError');
    expect(toTransportError(abort, 0)).toBe(abort);
  });
});
