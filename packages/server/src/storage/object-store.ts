// The one storage interface: every backend (S3-compatible, local disk) implements it and passes one contract suite.

/** A presigned request the client performs as-is: method, URL and the exact headers to send. */
export interface PresignedRequest {
  method: 'PUT' | 'GET';
  url: string;
  /** Headers that are part of the signature; the client must send them unchanged. */
  headers: Record<string, string>;
  expiresAt: Date;
}

export interface PresignPutOptions {
  size: number;
  contentType: string;
  /** Whole-object SHA-256, lowercase hex; bound into the URL where the backend enforces it. */
  sha256: string;
  /** Whole-object MD5, base64; bound as `Content-MD5` when checksums are not enforced. */
  contentMd5?: string;
  expiresIn: number;
}

export interface CreateMultipartOptions {
  contentType: string;
  retention?: Retention;
  /**
   * Size of every part but the last (the shared part plan). Optional: the fs backend then writes
   * parts in place instead of copying them at completion; S3 backends ignore it.
   */
  partSize?: number;
}

export interface PresignPartOptions {
  size?: number;
  /** Part MD5, base64; signed as `Content-MD5` so storage refuses different bytes. */
  contentMd5?: string;
  expiresIn: number;
}

export interface UploadedPart {
  partNumber: number;
  etag: string;
  size: number;
}

export interface MultipartUploadInfo {
  key: string;
  uploadId: string;
  initiated: Date;
}

export interface ObjectInfo {
  key: string;
  size: number;
  etag: string;
  contentType?: string;
  lastModified: Date;
  /** SHA-256 hex of the whole object when the backend recorded it (fs always; s3 never on Ceph). */
  sha256?: string;
}

export interface ListedObject {
  key: string;
  size: number;
  etag: string;
  lastModified: Date;
  /** Present when the backend lists it without an extra request (fs); S3 listings never carry it. */
  contentType?: string;
}

/** Where a listing starts. */
export interface ListOptions {
  /** Only keys strictly after this one (S3 `StartAfter`): resume a listing without re-reading it. */
  startAfter?: string;
}

export interface PresignGetOptions {
  expiresIn: number;
  /** Offered filename; encoded per RFC 6266 / RFC 5987 in Content-Disposition. */
  downloadName?: string;
  disposition?: 'attachment' | 'inline';
  contentType?: string;
}

export interface ByteRange {
  start: number;
  /** Inclusive end, as in HTTP Range. */
  end?: number;
}

export type RetentionMode = 'GOVERNANCE' | 'COMPLIANCE';
export interface Retention {
  until: Date;
  mode: RetentionMode;
}

/** What a backend can do, detected at start-up (s3) or known (fs); logged once. */
export interface StoreCapabilities {
  backend: 'fs' | 's3';
  /** Storage rejects a body whose SHA-256 differs from a signed `x-amz-checksum-sha256`. */
  checksumSha256Enforced: boolean;
  /** Storage rejects a body whose MD5 differs from a signed `Content-MD5`. */
  contentMd5Enforced: boolean;
  /** `If-None-Match: *` on PUT refuses to overwrite an existing key. */
  conditionalWrites: boolean;
  objectLock: boolean;
  /**
   * The Object Lock mode every verified object is given (FIELDVAULT_OBJECT_LOCK_MODE), or null: off,
   * or a backend without Object Lock (fs keeps retention and legal holds in the database only).
   * Only ever set when `objectLock` is true: the s3 store refuses to start otherwise.
   */
  objectLockMode: RetentionMode | null;
  /** Longest presign expiry the backend accepts, in seconds. */
  maxPresignExpiry: number;
}

/** Byte storage for FieldVault: presigned uploads and downloads, multipart, listing, retention. */
export interface ObjectStore {
  capabilities(): StoreCapabilities;
  presignPut(key: string, options: PresignPutOptions): Promise<PresignedRequest>;
  createMultipart(key: string, options: CreateMultipartOptions): Promise<{ uploadId: string }>;
  presignPart(
    key: string,
    upload: { uploadId: string; partNumber: number },
    options: PresignPartOptions,
  ): Promise<PresignedRequest>;
  /** Every part storage holds for the upload (all pages), ordered by part number. */
  listParts(key: string, uploadId: string): Promise<UploadedPart[]>;
  completeMultipart(
    key: string,
    uploadId: string,
    parts: readonly Pick<UploadedPart, 'partNumber' | 'etag'>[],
  ): Promise<ObjectInfo>;
  abortMultipart(key: string, uploadId: string): Promise<void>;
  listMultipartUploads(prefix: string): AsyncIterable<MultipartUploadInfo>;
  /** Object metadata, or `null` when the key does not exist. */
  head(key: string): Promise<ObjectInfo | null>;
  presignGet(key: string, options: PresignGetOptions): Promise<PresignedRequest>;
  getStream(key: string, range?: ByteRange): Promise<ReadableStream<Uint8Array>>;
  /** Server-side write of a small object (health probes, tests, imports); refuses to overwrite. */
  putObject(key: string, body: Uint8Array, options: { contentType: string }): Promise<ObjectInfo>;
  /** Server-side copy (quarantine moves); refuses to overwrite the destination. */
  copy(fromKey: string, toKey: string): Promise<ObjectInfo>;
  /** Delete the current object (on a versioned bucket this only adds a delete marker). */
  delete(key: string): Promise<void>;
  /**
   * Remove the key's bytes for good: every version and delete marker on a versioned bucket. A
   * version under Object Lock (retention or legal hold) makes it fail with StorageError `locked`;
   * versions deleted before the refusal stay deleted, so a retry finishes the job.
   */
  purge(key: string): Promise<void>;
  /**
   * Objects whose key starts with `prefix`, streamed in key order (UTF-8 bytes, as S3 sorts), in
   * memory bounded by a page or a directory, never by the number of objects.
   */
  list(prefix: string, options?: ListOptions): AsyncIterable<ListedObject>;
  putRetention(key: string, retention: Retention): Promise<void>;
  /** The Object Lock retention storage holds for `key`, or null (none, or no object lock). */
  getRetention(key: string): Promise<Retention | null>;
  /** Place or lift the Object Lock legal hold on `key` (a no-op without `objectLockMode`). */
  setLegalHold(key: string, hold: boolean): Promise<void>;
}
