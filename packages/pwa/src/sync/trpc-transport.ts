// The SyncTransport over tRPC (batched HTTP) to the FieldVault server; every answer is checked against the wire schemas.
import {
  createTRPCUntypedClient,
  httpBatchLink,
  TRPCClientError,
  type HTTPBatchLinkOptions,
} from '@trpc/client';
import { isErrorCode } from '@fieldvault/shared/errors';
import { CSRF_HEADER, TRPC_PATH } from '@fieldvault/shared/http';
import {
  deviceEventsPushOutput,
  signPartsOutput,
  uploadAbortOutput,
  uploadBeginOutput,
  uploadCompleteOutput,
  uploadListPartsOutput,
} from '@fieldvault/shared/schemas';
import type { z } from 'zod';
import { isAbortError } from './classify';
import { CALL_DEADLINE_MS, withDeadline } from './deadline';
import { createFetchPutBytes } from './put-bytes';
import { parseRetryAfter, TransportError, type SyncTransport } from './transport';

/**
 * Maps what the tRPC client throws to a {@link TransportError}: the shared code from `data.errorCode` (and
 * its `data.details.reason`), the HTTP status, and `Retry-After` from the response. No response at all
 * means offline. Aborts pass through.
 */
export function toTransportError(error: unknown, now: number): unknown {
  if (isAbortError(error) || error instanceof TransportError) return error;
  // An error page the link could not parse, already read by {@link readingErrorPages}.
  if (error instanceof TRPCClientError && error.cause instanceof TransportError) return error.cause;
  if (!(error instanceof TRPCClientError))
    return new TransportError({ status: null, cause: error });
  const data = error.data as
    | { httpStatus?: unknown; errorCode?: unknown; details?: { reason?: unknown } | null }
    | null
    | undefined;
  const response = (error.meta as { response?: Response } | undefined)?.response;
  const status =
    typeof data?.httpStatus === 'number' ? data.httpStatus : (response?.status ?? null);
  if (status === null) return new TransportError({ status: null, cause: error });
  const code = isErrorCode(data?.errorCode) ? data.errorCode : null;
  const retryAfterMs = parseRetryAfter(response?.headers.get('retry-after'), now);
  const reason = typeof data?.details?.reason === 'string' ? data.details.reason : null;
  const { message } = error;
  return new TransportError({ status, code, reason, retryAfterMs, message, cause: error });
}

/**
 * The link's fetch, made to answer an error page that is not tRPC's JSON (a proxy's 502/503/504, an
 * HTML 500) with a {@link TransportError} of its status and Retry-After. tRPC would fail to parse it,
 * and the call would look like no answer at all: "No connection" during a deploy, Retry-After ignored.
 */
function readingErrorPages(fetchFn: typeof fetch, now: () => number): typeof fetch {
  return async (input, init) => {
    const response = await fetchFn(input, init);
    const json = (response.headers.get('content-type') ?? '').includes('json');
    if (response.ok || json) return response;
    await response.body?.cancel().catch(() => undefined);
    throw new TransportError({
      status: response.status,
      retryAfterMs: parseRetryAfter(response.headers.get('retry-after'), now()),
      errorPage: true,
      message: `The server answered HTTP ${response.status}`,
    });
  };
}

/** Where and how to reach the server. */
export interface TrpcTransportOptions {
  /** The tRPC endpoint; same origin by default. */
  url?: string;
  fetch?: typeof fetch;
  now?: () => number;
  /** How long one call may go unanswered before it counts as no answer (default {@link CALL_DEADLINE_MS}). */
  callDeadlineMs?: number;
}

/**
 * Creates the transport the app's engine uses. Calls made in the same tick share one HTTP request
 * (`httpBatchLink`), which keeps a batch of receipts near two round trips each.
 */
export function createTrpcTransport(options: TrpcTransportOptions = {}): SyncTransport {
  const now = options.now ?? Date.now;
  const fetchFn = options.fetch ?? ((input, init) => fetch(input, init));
  const client = createTRPCUntypedClient({
    links: [
      httpBatchLink({
        url: options.url ?? TRPC_PATH,
        fetch: readingErrorPages(fetchFn, now) as NonNullable<HTTPBatchLinkOptions<never>['fetch']>,
        // The server's CSRF guard refuses mutations without it.
        headers: { [CSRF_HEADER]: '1' },
      }),
    ],
  });
  const call = async <T>(
    op: { kind: 'query' | 'mutation'; path: string; schema: z.ZodType<T> },
    input: unknown,
    signal?: AbortSignal,
  ): Promise<T> => {
    let raw: unknown;
    const deadline = withDeadline(options.callDeadlineMs ?? CALL_DEADLINE_MS, signal);
    try {
      raw = await client[op.kind](op.path, input, { signal: deadline.signal });
    } catch (error) {
      // No answer in time is no answer at all: the run stops as offline and the lock is freed.
      if (deadline.expired())
        throw new TransportError({ status: null, message: `${op.path} timed out`, cause: error });
      throw toTransportError(error, now());
    }
    const parsed = op.schema.safeParse(raw);
    // A malformed answer is the server's fault (a deploy mismatch): retry later, never accept it.
    if (!parsed.success)
      throw new TransportError({ status: 502, message: `Unexpected answer from ${op.path}` });
    return parsed.data;
  };
  const m = <T>(path: string, schema: z.ZodType<T>) => ({
    kind: 'mutation' as const,
    path,
    schema,
  });
  return {
    begin: (input, signal) => call(m('uploads.begin', uploadBeginOutput), input, signal),
    signParts: (input, signal) => call(m('uploads.signParts', signPartsOutput), input, signal),
    listParts: (input, signal) =>
      call(
        { kind: 'query', path: 'uploads.listParts', schema: uploadListPartsOutput },
        input,
        signal,
      ),
    complete: (input, signal) => call(m('uploads.complete', uploadCompleteOutput), input, signal),
    abort: (input) => call(m('uploads.abort', uploadAbortOutput), input),
    pushEvents: (input) => call(m('device.pushEvents', deviceEventsPushOutput), input),
    putBytes: createFetchPutBytes({ fetch: fetchFn, now }),
  };
}
