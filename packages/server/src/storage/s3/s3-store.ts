// The S3-compatible backend: bytes go straight between the client and the bucket through presigned URLs.
import { createHash } from 'node:crypto';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import type { S3Client } from '@aws-sdk/client-s3';
import { sha256Base64ToHex } from '@fieldvault/shared/sha256';
import { StorageError } from '../errors.js';
import { silentLogger } from '../logger.js';
import type { StorageLogger } from '../logger.js';
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
} from '../object-store.js';
import { detectCapabilities } from './s3-capabilities.js';
import { createS3Client } from './s3-client.js';
import { s3StoreConfigSchema } from './s3-config.js';
import type { S3StoreConfig, S3StoreSettings } from './s3-config.js';
import { isNotFound, toStorageError } from './s3-errors.js';
import { listAllParts, listObjects, listUploads } from './s3-listing.js';
import {
  assertObjectLock,
  getObjectRetention,
  purgeAllVersions,
  putLegalHold,
  putObjectRetention,
  type LockContext,
} from './s3-object-lock.js';
import { presignGetUrl, presignPartUrl, presignPutUrl, sseHeaders } from './s3-presign.js';
import type { PresignContext } from './s3-presign.js';

/** User metadata carrying the retention requested for a multipart upload. */
const RETAIN_META = 'fv-retention';

/** {@link ObjectStore} over any S3-compatible service; capabilities are probed once at creation. */
export class S3ObjectStore implements ObjectStore {
  private readonly ctx: PresignContext;
  private readonly bucket: string;

  /** Prefer {@link S3ObjectStore.create}, which validates the config and detects capabilities. */
  constructor(init: {
    client: S3Client;
    settings: S3StoreSettings;
    capabilities: StoreCapabilities;
  }) {
    this.ctx = { client: init.client, settings: init.settings, caps: init.capabilities };
    this.bucket = init.settings.bucket;
  }

  /** Validate `config`, build the client, probe (or take from config) the capabilities and log them once. */
  static async create(
    config: S3StoreConfig,
    deps: { logger?: StorageLogger } = {},
  ): Promise<S3ObjectStore> {
    const settings = s3StoreConfigSchema.parse(config);
    const client = createS3Client(settings);
    const capabilities = await detectCapabilities(client, settings);
    assertObjectLock(capabilities, settings.bucket);
    (deps.logger ?? silentLogger).info(
      { storage: { endpoint: settings.endpoint ?? 'aws', bucket: settings.bucket, capabilities } },
      'storage capabilities',
    );
    return new S3ObjectStore({ client, settings, capabilities });
  }

  private get lock(): LockContext {
    return { client: this.ctx.client, bucket: this.bucket, caps: this.ctx.caps };
  }

  /** The underlying SDK client (tests, benchmarks, bucket setup). */
  get client(): S3Client {
    return this.ctx.client;
  }

  capabilities(): StoreCapabilities {
    return { ...this.ctx.caps };
  }

  presignPut(key: string, options: PresignPutOptions): Promise<PresignedRequest> {
    return presignPutUrl(this.ctx, key, options);
  }

  async createMultipart(key: string, o: CreateMultipartOptions): Promise<{ uploadId: string }> {
    if (o.retention && !this.ctx.caps.objectLock)
      throw new StorageError('unsupported', 'bucket has no object lock');
    const out = await this.ctx.client
      .send(
        new CreateMultipartUploadCommand({
          Bucket: this.bucket,
          Key: key,
          ContentType: o.contentType,
          ...sseHeaders(this.ctx.settings).input,
          ...(o.retention
            ? {
                ObjectLockMode: o.retention.mode,
                ObjectLockRetainUntilDate: o.retention.until,
                // Also as metadata: Ceph Pacific ignores the lock fields here (see ensureRetention).
                Metadata: {
                  [RETAIN_META]: `${o.retention.mode} ${o.retention.until.toISOString()}`,
                },
              }
            : {}),
        }),
      )
      .catch((err: unknown) => toStorageError(err, 'createMultipart'));
    if (!out.UploadId)
      throw new StorageError('unavailable', 'createMultipart: no UploadId in the response');
    return { uploadId: out.UploadId };
  }

  presignPart(
    key: string,
    upload: { uploadId: string; partNumber: number },
    options: PresignPartOptions,
  ): Promise<PresignedRequest> {
    return presignPartUrl(this.ctx, { key, ...upload }, options);
  }

  listParts(key: string, uploadId: string): Promise<UploadedPart[]> {
    return listAllParts({ client: this.ctx.client, bucket: this.bucket }, key, uploadId);
  }

  async completeMultipart(
    key: string,
    uploadId: string,
    parts: readonly Pick<UploadedPart, 'partNumber' | 'etag'>[],
  ): Promise<ObjectInfo> {
    // Complete ignores If-None-Match on Ceph (and older S3s): check first; the DB holds the key unique too.
    if (await this.head(key))
      throw new StorageError(
        'object_exists',
        'completeMultipart: an object with this key already exists',
      );
    await this.ctx.client
      .send(
        new CompleteMultipartUploadCommand({
          Bucket: this.bucket,
          Key: key,
          UploadId: uploadId,
          MultipartUpload: {
            Parts: parts.map((p) => ({ PartNumber: p.partNumber, ETag: p.etag })),
          },
          ...(this.ctx.caps.conditionalWrites ? { IfNoneMatch: '*' } : {}),
        }),
      )
      .catch((err: unknown) => toStorageError(err, 'completeMultipart'));
    if (this.ctx.caps.objectLock) await this.ensureRetention(key);
    // HEAD rather than trusting the response: Ceph answers an empty <ETag/>, and it carries no size anyway.
    const info = await this.head(key);
    if (!info)
      throw new StorageError(
        'unavailable',
        'completeMultipart: object missing right after completion',
      );
    return info;
  }

  /** Apply the retention asked for at createMultipart when storage dropped it (Ceph Pacific does). */
  private async ensureRetention(key: string): Promise<void> {
    const out = await this.ctx.client
      .send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }))
      .catch((err: unknown) => toStorageError(err, 'completeMultipart'));
    const [mode, until] = out.Metadata?.[RETAIN_META]?.split(' ') ?? [];
    if (out.ObjectLockMode || (mode !== 'GOVERNANCE' && mode !== 'COMPLIANCE') || !until) return;
    await this.putRetention(key, { mode, until: new Date(until) });
  }

  async abortMultipart(key: string, uploadId: string): Promise<void> {
    try {
      await this.ctx.client.send(
        new AbortMultipartUploadCommand({ Bucket: this.bucket, Key: key, UploadId: uploadId }),
      );
    } catch (err) {
      // Aborting twice is not an error: cleanup jobs may race each other.
      if (!isNotFound(err)) toStorageError(err, 'abortMultipart');
    }
  }

  listMultipartUploads(prefix: string): AsyncIterable<MultipartUploadInfo> {
    return listUploads({ client: this.ctx.client, bucket: this.bucket }, prefix);
  }

  async head(key: string): Promise<ObjectInfo | null> {
    const sha = this.ctx.caps.checksumSha256Enforced;
    let out;
    try {
      out = await this.ctx.client.send(
        new HeadObjectCommand({
          Bucket: this.bucket,
          Key: key,
          ...(sha ? { ChecksumMode: 'ENABLED' } : {}),
        }),
      );
    } catch (err) {
      if (isNotFound(err)) return null;
      return toStorageError(err, 'head');
    }
    const info: ObjectInfo = {
      key,
      size: out.ContentLength ?? 0,
      etag: out.ETag ?? '',
      lastModified: out.LastModified ?? new Date(0),
    };
    if (out.ContentType !== undefined) info.contentType = out.ContentType;
    // Only a full-object checksum is the object's SHA-256; multipart ones are checksums of checksums ("…-N").
    if (out.ChecksumSHA256 && !out.ChecksumSHA256.includes('-'))
      info.sha256 = sha256Base64ToHex(out.ChecksumSHA256);
    return info;
  }

  presignGet(key: string, options: PresignGetOptions): Promise<PresignedRequest> {
    return presignGetUrl(this.ctx, key, options);
  }

  async getStream(key: string, range?: ByteRange): Promise<ReadableStream<Uint8Array>> {
    const Range = range ? `bytes=${range.start}-${range.end ?? ''}` : undefined;
    const out = await this.ctx.client
      .send(new GetObjectCommand({ Bucket: this.bucket, Key: key, ...(Range ? { Range } : {}) }))
      .catch((err: unknown) => toStorageError(err, 'getStream'));
    if (!out.Body) throw new StorageError('unavailable', 'getStream: empty response body');
    return out.Body.transformToWebStream() as ReadableStream<Uint8Array>;
  }

  async putObject(
    key: string,
    body: Uint8Array,
    options: { contentType: string },
  ): Promise<ObjectInfo> {
    const caps = this.ctx.caps;
    if (!caps.conditionalWrites && (await this.head(key)))
      throw new StorageError('object_exists', 'putObject: key exists');
    const sha256 = createHash('sha256').update(body).digest();
    const out = await this.ctx.client
      .send(
        new PutObjectCommand({
          Bucket: this.bucket,
          Key: key,
          Body: body,
          ContentType: options.contentType,
          ContentMD5: createHash('md5').update(body).digest('base64'),
          ...sseHeaders(this.ctx.settings).input,
          ...(caps.checksumSha256Enforced ? { ChecksumSHA256: sha256.toString('base64') } : {}),
          ...(caps.conditionalWrites ? { IfNoneMatch: '*' } : {}),
        }),
      )
      .catch((err: unknown) => toStorageError(err, 'putObject'));
    const info = {
      key,
      size: body.length,
      etag: out.ETag ?? '',
      contentType: options.contentType,
      lastModified: new Date(),
    };
    return { ...info, sha256: sha256.toString('hex') };
  }

  async copy(fromKey: string, toKey: string): Promise<ObjectInfo> {
    if (await this.head(toKey)) throw new StorageError('object_exists', 'copy: destination exists');
    const source = `${this.bucket}/${fromKey.split('/').map(encodeURIComponent).join('/')}`;
    await this.ctx.client
      .send(
        new CopyObjectCommand({
          Bucket: this.bucket,
          Key: toKey,
          CopySource: source,
          ...sseHeaders(this.ctx.settings).input,
        }),
      )
      .catch((err: unknown) => toStorageError(err, 'copy'));
    const info = await this.head(toKey);
    if (!info)
      throw new StorageError('unavailable', 'copy: destination missing right after the copy');
    return info;
  }

  async delete(key: string): Promise<void> {
    await this.ctx.client
      .send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }))
      .catch((err: unknown) => toStorageError(err, 'delete'));
  }

  list(prefix: string, options: ListOptions = {}): AsyncIterable<ListedObject> {
    return listObjects(
      { client: this.ctx.client, bucket: this.bucket },
      prefix,
      options.startAfter,
    );
  }

  purge(key: string): Promise<void> {
    return purgeAllVersions(this.lock, key);
  }

  getRetention(key: string): Promise<Retention | null> {
    return getObjectRetention(this.lock, key);
  }

  putRetention(key: string, retention: Retention): Promise<void> {
    return putObjectRetention(this.lock, key, retention);
  }

  setLegalHold(key: string, hold: boolean): Promise<void> {
    return putLegalHold(this.lock, key, hold);
  }
}
