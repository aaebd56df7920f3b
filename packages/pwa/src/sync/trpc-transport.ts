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
 * Maps what the tRPC client throws to a {@link TransportError}: the shared code from `data.errorCode`, the
 * HTTP status, and `Retry-After` from the response. No response at all means offline. Aborts pass through.
 */
export function toTransportError(error: unknown, now: number): unknown {
  if (isAbortError(error) || error instanceof TransportError) return error;
  if (!(error instanceof TRPCClientError))
    return new TransportError({ status: null, cause: error });
  const data = error.data as { httpStatus?: unknown; errorCode?: unknown } | null | undefined;
  const response = (error.meta as { response?: Response } | undefined)?.response;
  const status =
    typeof data?.httpStatus === 'number' ? data.httpStatus : (response?.status ?? null);
  if (status === null) return new TransportError({ status: null, cause: error });
  const code = isErrorCode(data?.errorCode) ? data.errorCode : null;
  const retryAfterMs = parseRetryAfter(response?.headers.get('retry-after'), now);
  return new TransportError({ status, code, retryAfterMs, message: error.message, cause: error });
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
        fetch: fetchFn as NonNullable<HTTPBatchLinkOptions<never>['fetch']>,
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
