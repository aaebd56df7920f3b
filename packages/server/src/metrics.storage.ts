// Storage call metrics as a decorator around any ObjectStore, so backends stay free of metrics code.
import type { Metrics } from './metrics.js';
import { isStorageError } from './storage/errors.js';
import type {
  ByteRange,
  CreateMultipartOptions,
  ListedObject,
  ListOptions,
  MultipartUploadInfo,
  ObjectInfo,
  ObjectStore,
  PresignedRequest,
  PresignGetOptions,
  PresignPartOptions,
  PresignPutOptions,
  Retention,
  StoreCapabilities,
  UploadedPart,
} from './storage/object-store.js';

/** The two instruments the decorator writes. */
export type StorageMetrics = Pick<Metrics, 'storageCallDuration' | 'storageErrors'>;

/** The stable storage error code, or `unknown` (bugs, TypeErrors from bad input, raw backend errors). */
function errorCode(err: unknown): string {
  return isStorageError(err) ? err.code : 'unknown';
}

/** ObjectStore that times every call and counts failures, delegating the work unchanged. */
class InstrumentedObjectStore implements ObjectStore {
  private readonly backend: string;

  constructor(
    readonly inner: ObjectStore,
    private readonly metrics: StorageMetrics,
  ) {
    this.backend = inner.capabilities().backend;
  }

  /** Observe one call; the error is rethrown untouched so callers still branch on its code. */
  private async timed<T>(operation: string, call: () => Promise<T>): Promise<T> {
    const end = this.metrics.storageCallDuration.startTimer({ operation, backend: this.backend });
    try {
      const result = await call();
      end({ outcome: 'ok' });
      return result;
    } catch (err) {
      end({ outcome: 'error' });
      this.metrics.storageErrors.inc({ operation, backend: this.backend, code: errorCode(err) });
      throw err;
    }
  }

  /**
   * Observe a listing from the first `next()` to its end, pages included — and the consumer's time
   * between items, which cannot be separated from the backend's. A consumer that stops early
   * (`break`) ends the iteration and is recorded as `ok`.
   */
  private async *timedIteration<T>(operation: string, source: AsyncIterable<T>): AsyncIterable<T> {
    const end = this.metrics.storageCallDuration.startTimer({ operation, backend: this.backend });
    let outcome = 'ok';
    try {
      yield* source;
    } catch (err) {
      outcome = 'error';
      this.metrics.storageErrors.inc({ operation, backend: this.backend, code: errorCode(err) });
      throw err;
    } finally {
      end({ outcome });
    }
  }

  /** Not a storage call (known or probed at start-up): not measured. */
  capabilities(): StoreCapabilities {
    return this.inner.capabilities();
  }

  presignPut(key: string, options: PresignPutOptions): Promise<PresignedRequest> {
    return this.timed('presignPut', () => this.inner.presignPut(key, options));
  }

  createMultipart(key: string, options: CreateMultipartOptions): Promise<{ uploadId: string }> {
    return this.timed('createMultipart', () => this.inner.createMultipart(key, options));
  }

  presignPart(
    key: string,
    upload: { uploadId: string; partNumber: number },
    options: PresignPartOptions,
  ): Promise<PresignedRequest> {
    return this.timed('presignPart', () => this.inner.presignPart(key, upload, options));
  }

  listParts(key: string, uploadId: string): Promise<UploadedPart[]> {
    return this.timed('listParts', () => this.inner.listParts(key, uploadId));
  }

  completeMultipart(
    key: string,
    uploadId: string,
    parts: readonly Pick<UploadedPart, 'partNumber' | 'etag'>[],
  ): Promise<ObjectInfo> {
    return this.timed('completeMultipart', () =>
      this.inner.completeMultipart(key, uploadId, parts),
    );
  }

  abortMultipart(key: string, uploadId: string): Promise<void> {
    return this.timed('abortMultipart', () => this.inner.abortMultipart(key, uploadId));
  }

  listMultipartUploads(prefix: string): AsyncIterable<MultipartUploadInfo> {
    return this.timedIteration('listMultipartUploads', this.inner.listMultipartUploads(prefix));
  }

  head(key: string): Promise<ObjectInfo | null> {
    return this.timed('head', () => this.inner.head(key));
  }

  presignGet(key: string, options: PresignGetOptions): Promise<PresignedRequest> {
    return this.timed('presignGet', () => this.inner.presignGet(key, options));
  }

  /** Measures opening the stream (the backend's answer), not reading the body. */
  getStream(key: string, range?: ByteRange): Promise<ReadableStream<Uint8Array>> {
    return this.timed('getStream', () => this.inner.getStream(key, range));
  }

  putObject(key: string, body: Uint8Array, options: { contentType: string }): Promise<ObjectInfo> {
    return this.timed('putObject', () => this.inner.putObject(key, body, options));
  }

  copy(fromKey: string, toKey: string): Promise<ObjectInfo> {
    return this.timed('copy', () => this.inner.copy(fromKey, toKey));
  }

  delete(key: string): Promise<void> {
    return this.timed('delete', () => this.inner.delete(key));
  }

  purge(key: string): Promise<void> {
    return this.timed('purge', () => this.inner.purge(key));
  }

  list(prefix: string, options?: ListOptions): AsyncIterable<ListedObject> {
    return this.timedIteration('list', this.inner.list(prefix, options));
  }

  putRetention(key: string, retention: Retention): Promise<void> {
    return this.timed('putRetention', () => this.inner.putRetention(key, retention));
  }

  getRetention(key: string): Promise<Retention | null> {
    return this.timed('getRetention', () => this.inner.getRetention(key));
  }

  setLegalHold(key: string, hold: boolean): Promise<void> {
    return this.timed('setLegalHold', () => this.inner.setLegalHold(key, hold));
  }
}

/**
 * Wrap `store` so every call lands in `fieldvault_storage_call_duration_seconds{operation,backend,outcome}`
 * and every failure in `fieldvault_storage_errors_total{operation,backend,code}`. Results and errors
 * pass through unchanged. Wrapping an instrumented store again returns it as is (no double counts).
 */
export function instrumentObjectStore(store: ObjectStore, metrics: StorageMetrics): ObjectStore {
  if (store instanceof InstrumentedObjectStore) return store;
  return new InstrumentedObjectStore(store, metrics);
}

/** The backend behind any instrumentation, for code that needs the concrete class (the fs byte routes). */
export function unwrapObjectStore(store: ObjectStore): ObjectStore {
  return store instanceof InstrumentedObjectStore ? unwrapObjectStore(store.inner) : store;
}
