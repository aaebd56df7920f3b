// `putBytes` over fetch: PUT a Blob to a presigned URL with its signed headers, map every failure to a TransportError.
import { isAbortError } from './classify';
import { createSharedDeadlines, putDeadlineMs, type SharedDeadline } from './deadline';
import { parseRetryAfter, TransportError, type PutRequest } from './transport';

/** The storage error code in an S3 XML (`<Code>BadDigest</Code>`) or fs-backend JSON (`{"code":"bad_digest"}`) body. */
export function storageErrorCode(body: string): string | null {
  const xml = /<Code>([^<]+)<\/Code>/.exec(body);
  if (xml?.[1]) return xml[1];
  try {
    const json: unknown = JSON.parse(body);
    const code = (json as { code?: unknown } | null)?.code;
    return typeof code === 'string' ? code : null;
  } catch {
    return null;
  }
}

/** Sends with `send`; a failure past the deadline is no answer (offline), an abort stays an abort. */
async function sendWithin(
  deadline: SharedDeadline,
  send: () => Promise<Response>,
): Promise<Response> {
  try {
    return await send();
  } catch (error) {
    if (deadline.expired()) {
      const message = `Storage did not answer within ${deadline.ms()} ms`;
      throw new TransportError({ status: null, message, cause: error });
    }
    if (isAbortError(error)) throw error;
    throw new TransportError({ status: null, cause: error });
  }
}

/** What {@link createFetchPutBytes} may be given. */
export interface FetchPutBytesDeps {
  fetch?: typeof fetch;
  now?: () => number;
  /**
   * How long a PUT of `bytes` alone may take before it counts as no answer (default {@link putDeadlineMs});
   * PUTs in flight together share the uplink, so each gets that of its bytes times their number.
   */
  deadlineMs?: (bytes: number) => number;
}

/**
 * Creates `putBytes` for the transport. Storage must expose the `ETag` header to the page (CORS
 * `ExposeHeaders: ETag`), or multipart uploads cannot be completed: that is reported, not guessed around.
 * A PUT past its deadline fails like no answer at all (`status: null`), so a stalled connection cannot
 * hold the sync lock forever.
 */
export function createFetchPutBytes(deps: FetchPutBytesDeps = {}) {
  const doFetch = deps.fetch ?? ((input, init) => fetch(input, init));
  const now = deps.now ?? Date.now;
  const deadlines = createSharedDeadlines(deps.deadlineMs ?? putDeadlineMs);
  return async (
    request: PutRequest,
    body: Blob,
    signal?: AbortSignal,
  ): Promise<{ etag: string }> => {
    const deadline = deadlines(body.size, signal);
    let response: Response;
    try {
      response = await sendWithin(deadline, () =>
        doFetch(request.url, {
          method: request.method,
          headers: request.headers,
          body,
          signal: deadline.signal,
        }),
      );
      if (!response.ok) {
        // Still under the deadline: a proxy that sends error headers and then stalls frees the slot.
        const text = await response.text().catch(() => '');
        const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), now());
        throw new TransportError({
          status: response.status,
          storageCode: storageErrorCode(text),
          retryAfterMs,
          message: `Storage answered HTTP ${response.status}`,
        });
      }
    } finally {
      deadline.done();
    }
    const etag = response.headers.get('etag');
    if (!etag) {
      const message = 'Storage did not expose the ETag header (CORS ExposeHeaders must list ETag).';
      throw new TransportError({ status: response.status, storageCode: 'MissingETag', message });
    }
    return { etag };
  };
}
