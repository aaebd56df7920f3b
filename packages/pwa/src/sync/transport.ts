// The transport the sync engine talks through: the server's upload procedures and raw byte PUTs to storage, with one typed error.
import type { ErrorCode } from '@fieldvault/shared/errors';
import type {
  DeviceEventBatch,
  DeviceEventsPushOutput,
  SignPartsInput,
  SignPartsOutput,
  UploadAbortInput,
  UploadAbortOutput,
  UploadBeginInput,
  UploadBeginOutput,
  UploadCompleteInput,
  UploadCompleteOutput,
  UploadListPartsInput,
  UploadListPartsOutput,
} from '@fieldvault/shared/schemas';

/** A presigned request as the device sends it: every header listed is signed and must be sent unchanged. */
export interface PutRequest {
  url: string;
  method: 'PUT';
  headers: Record<string, string>;
}

/**
 * What the engine needs from the network. The tRPC implementation maps each method to the procedure of
 * the same name (`uploads.begin`, `uploads.signParts`, `uploads.listParts`, `uploads.complete`,
 * `uploads.abort`, `device.pushEvents`); `putBytes` is a plain `fetch` to storage. Every method throws
 * {@link TransportError} on failure.
 */
export interface SyncTransport {
  begin(input: UploadBeginInput, signal?: AbortSignal): Promise<UploadBeginOutput>;
  signParts(input: SignPartsInput, signal?: AbortSignal): Promise<SignPartsOutput>;
  listParts(input: UploadListPartsInput, signal?: AbortSignal): Promise<UploadListPartsOutput>;
  complete(input: UploadCompleteInput, signal?: AbortSignal): Promise<UploadCompleteOutput>;
  abort(input: UploadAbortInput): Promise<UploadAbortOutput>;
  pushEvents(input: DeviceEventBatch): Promise<DeviceEventsPushOutput>;
  /** PUTs `body` to a presigned URL; resolves with the ETag storage answered (quotes kept). */
  putBytes(request: PutRequest, body: Blob, signal?: AbortSignal): Promise<{ etag: string }>;
}

/** What a {@link TransportError} carries. */
export interface TransportErrorInit {
  /** HTTP status; `null` when no response arrived (offline, DNS, connection reset, CORS). */
  status: number | null;
  /** The shared error code of a server procedure's answer. */
  code?: ErrorCode | null;
  /** `details.reason` of a server procedure's answer (e.g. `NOT_UPLOADED` from `uploads.complete`). */
  reason?: string | null;
  /** Storage's own error code for byte routes (`BadDigest`, `bad_digest`, `expired`, …). */
  storageCode?: string | null;
  /** `Retry-After` in ms, when the response had one. */
  retryAfterMs?: number | null;
  /** A server call answered by an error page, not by the server (a proxy, a load balancer). */
  errorPage?: boolean;
  message?: string;
  cause?: unknown;
}

/** The one error every transport method throws; the engine classifies it (see `classify.ts`). */
export class TransportError extends Error {
  override readonly name = 'TransportError';
  readonly status: number | null;
  readonly code: ErrorCode | null;
  readonly reason: string | null;
  readonly storageCode: string | null;
  readonly retryAfterMs: number | null;
  readonly errorPage: boolean;

  constructor(init: TransportErrorInit) {
    super(init.message ?? (init.status === null ? 'Network unreachable' : `HTTP ${init.status}`), {
      cause: init.cause,
    });
    this.status = init.status;
    this.code = init.code ?? null;
    this.reason = init.reason ?? null;
    this.storageCode = init.storageCode ?? null;
    this.retryAfterMs = init.retryAfterMs ?? null;
    this.errorPage = init.errorPage ?? false;
  }
}

/**
 * Parses a `Retry-After` header (delay seconds or an HTTP date) into ms from `now`; `null` when absent
 * or unreadable. Negative results (a date in the past) become 0.
 */
export function parseRetryAfter(value: string | null | undefined, now: number): number | null {
  if (!value) return null;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}
