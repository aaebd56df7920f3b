// The embedded disk backend: objects under one directory, presigned URLs signed by the server itself.
import { createReadStream } from 'node:fs';
import { mkdir, unlink } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { isMd5Base64, isSha256Hex } from '@fieldvault/shared/sha256';
import { contentDisposition } from '../content-disposition.js';
import { StorageError } from '../errors.js';
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
  StoreCapabilities,
  UploadedPart,
} from '../object-store.js';
import { FS_ROUTE_PREFIX, fsStoreConfigSchema } from './fs-config.js';
import type { FsStoreConfig } from './fs-config.js';
import { commitObject } from './fs-commit.js';
import { removeStaleTemp, sha256Of, writeVerified } from './fs-files.js';
import { receiveBody } from './fs-receive.js';
import { assembleInPlace } from './fs-inplace.js';
import { assertSafeKey, keyPaths } from './fs-keys.js';
import * as mp from './fs-multipart.js';
import type { FsLayout } from './fs-multipart.js';
import { listObjects } from './fs-list.js';
import { headObject } from './fs-objects.js';
import { forgetUpload } from './fs-prefix-hash.js';
import { sealUpload } from './fs-part-writers.js';
import { multipartEtag } from '../multipart-etag.js';
import { signQuery } from './fs-signing.js';
import type { SignedParams } from './fs-signing.js';

/** Disk-backed {@link ObjectStore}; stateless apart from the directory, so any instance can serve any URL. */
export class FsObjectStore implements ObjectStore {
  readonly layout: FsLayout;
  readonly secret: string;
  private readonly baseUrl: string;
  private readonly maxExpiry: number;

  /** Validate the config; call {@link FsObjectStore.init} (or use `createObjectStore`) before use. */
  constructor(config: FsStoreConfig) {
    const c = fsStoreConfigSchema.parse(config);
    const root = path.resolve(c.dir);
    this.layout = {
      root,
      tmpDir: path.join(root, '@tmp'),
      uploadsDir: path.join(root, '@uploads'),
    };
    this.secret = c.secret;
    this.baseUrl = c.publicBaseUrl.replace(/\/+$/, '');
    this.maxExpiry = c.maxPresignExpiry;
  }

  /** Create the root, temp and uploads directories. */
  async init(): Promise<this> {
    await mkdir(this.layout.tmpDir, { recursive: true });
    await mkdir(this.layout.uploadsDir, { recursive: true });
    await removeStaleTemp(this.layout.tmpDir);
    return this;
  }

  capabilities(): StoreCapabilities {
    return {
      backend: 'fs',
      checksumSha256Enforced: true,
      contentMd5Enforced: true,
      conditionalWrites: true,
      objectLock: false,
      // Retention and legal holds on fs live in the database only (the app refuses; the disk cannot).
      objectLockMode: null,
      maxPresignExpiry: this.maxExpiry,
    };
  }

  private presign(
    params: Omit<SignedParams, 'expires'>,
    expiresIn: number,
    headers: Record<string, string>,
  ): PresignedRequest {
    assertSafeKey(params.key);
    if (!Number.isInteger(expiresIn) || expiresIn < 1 || expiresIn > this.maxExpiry) {
      throw new RangeError(`expiresIn must be 1..${this.maxExpiry} seconds`);
    }
    const expiresAt = new Date(Date.now() + expiresIn * 1000);
    const signed: SignedParams = { ...params, expires: Math.floor(expiresAt.getTime() / 1000) };
    const encodedKey = params.key.split('/').map(encodeURIComponent).join('/');
    const url = `${this.baseUrl}${FS_ROUTE_PREFIX}/o/${encodedKey}?${signQuery(this.secret, signed)}`;
    return { method: params.method, url, headers, expiresAt };
  }

  presignPut(key: string, o: PresignPutOptions): Promise<PresignedRequest> {
    const headers: Record<string, string> = { 'Content-Type': o.contentType };
    if (o.contentMd5 !== undefined) headers['Content-MD5'] = o.contentMd5;
    const params: Omit<SignedParams, 'expires'> = {
      method: 'PUT',
      key,
      size: o.size,
      sha256: o.sha256,
      contentType: o.contentType,
    };
    if (o.contentMd5 !== undefined) params.md5 = o.contentMd5;
    return settle(() => {
      // A malformed digest would make every upload fail later with a confusing 400: refuse it now.
      if (!isSha256Hex(o.sha256))
        throw new TypeError('presignPut: sha256 must be 64 lowercase hex');
      if (o.contentMd5 !== undefined && !isMd5Base64(o.contentMd5)) {
        throw new TypeError('presignPut: contentMd5 must be the base64 of 16 bytes');
      }
      return this.presign(params, o.expiresIn, headers);
    });
  }

  async createMultipart(key: string, o: CreateMultipartOptions): Promise<{ uploadId: string }> {
    assertSafeKey(key);
    if (o.retention) throw new StorageError('unsupported', 'the fs backend has no object lock');
    if (o.partSize !== undefined && (!Number.isSafeInteger(o.partSize) || o.partSize < 1)) {
      throw new RangeError('partSize must be a positive integer');
    }
    const options = { contentType: o.contentType, ...(o.partSize ? { partSize: o.partSize } : {}) };
    return { uploadId: await mp.createUpload(this.layout, key, options) };
  }

  presignPart(
    key: string,
    upload: { uploadId: string; partNumber: number },
    o: PresignPartOptions,
  ): Promise<PresignedRequest> {
    return settle(() => {
      if (
        !Number.isInteger(upload.partNumber) ||
        upload.partNumber < 1 ||
        upload.partNumber > 10_000
      ) {
        throw new RangeError('partNumber must be 1..10000');
      }
      const headers: Record<string, string> = {};
      const params: Omit<SignedParams, 'expires'> = { method: 'PUT', key, ...upload };
      if (o.size !== undefined) params.size = o.size;
      if (o.contentMd5 !== undefined) params.md5 = headers['Content-MD5'] = o.contentMd5;
      return this.presign(params, o.expiresIn, headers);
    });
  }

  async listParts(key: string, uploadId: string): Promise<UploadedPart[]> {
    await mp.readUpload(this.layout, key, uploadId);
    return (await mp.listPartFiles(this.layout, uploadId)).map(({ partNumber, etag, size }) => ({
      partNumber,
      etag,
      size,
    }));
  }

  async completeMultipart(
    key: string,
    uploadId: string,
    parts: readonly Pick<UploadedPart, 'partNumber' | 'etag'>[],
  ): Promise<ObjectInfo> {
    const upload = await mp.readUpload(this.layout, key, uploadId);
    // No part PUT may write into the data file once it is hashed and linked as the object.
    const release = await sealUpload(mp.uploadDir(this.layout, uploadId));
    try {
      const existing = await this.head(key);
      if (existing) {
        // This very upload, published by a complete that stopped (a crash) before removing it: finish.
        const files = await mp.selectParts(this.layout, uploadId, parts);
        if (existing.etag === multipartEtag(files.map((f) => f.etag))) {
          forgetUpload(mp.uploadDir(this.layout, uploadId));
          await mp.removeUpload(this.layout, uploadId);
          return existing;
        }
        // Fail before copying a gigabyte; commitObject still closes the race atomically.
        throw new StorageError('object_exists', 'an object with this key already exists');
      }
      const files = await mp.selectParts(this.layout, uploadId, parts);
      const joined =
        upload.partSize !== undefined
          ? await assembleInPlace(this.layout, files, upload.partSize)
          : await mp.concatParts(this.layout, files);
      const meta = { sha256: joined.sha256, etag: joined.etag, contentType: upload.contentType };
      await commitObject(this.layout, key, { tmpPath: joined.tmpPath, meta });
      await mp.removeUpload(this.layout, uploadId);
    } finally {
      release();
    }
    return this.mustHead(key);
  }

  async abortMultipart(key: string, uploadId: string): Promise<void> {
    try {
      await mp.readUpload(this.layout, key, uploadId);
    } catch (err) {
      // Aborting twice is not an error: cleanup jobs may race each other.
      if (err instanceof StorageError && err.code === 'not_found') return;
      throw err;
    }
    const dir = mp.uploadDir(this.layout, uploadId);
    const release = await sealUpload(dir);
    try {
      forgetUpload(dir);
      await mp.removeUpload(this.layout, uploadId);
    } finally {
      release();
    }
  }

  listMultipartUploads(prefix: string): AsyncIterable<MultipartUploadInfo> {
    return mp.listUploads(this.layout, prefix);
  }

  async head(key: string): Promise<ObjectInfo | null> {
    const found = await headObject(this.layout, key);
    if (!found) return null;
    const { file: _file, ...info } = found;
    return info;
  }

  private async mustHead(key: string): Promise<ObjectInfo> {
    const info = await this.head(key);
    if (!info) throw new StorageError('not_found', `no object ${key}`);
    return info;
  }

  presignGet(key: string, o: PresignGetOptions): Promise<PresignedRequest> {
    const params: Omit<SignedParams, 'expires'> = { method: 'GET', key };
    if (o.contentType !== undefined) params.contentType = o.contentType;
    if (o.downloadName !== undefined || o.disposition !== undefined) {
      params.disposition = contentDisposition(o.downloadName, o.disposition);
    }
    return settle(() => this.presign(params, o.expiresIn, {}));
  }

  async getStream(key: string, range?: ByteRange): Promise<ReadableStream<Uint8Array>> {
    const found = await headObject(this.layout, key);
    if (!found) throw new StorageError('not_found', `no object ${key}`);
    const stream = createReadStream(
      found.file,
      range ? { start: range.start, end: range.end ?? Infinity } : {},
    );
    return Readable.toWeb(stream) as ReadableStream<Uint8Array>;
  }

  async putObject(key: string, body: Uint8Array, o: { contentType: string }): Promise<ObjectInfo> {
    return this.writeObject(key, Readable.from([body]), o.contentType);
  }

  async copy(fromKey: string, toKey: string): Promise<ObjectInfo> {
    const from = await headObject(this.layout, fromKey);
    if (!from) throw new StorageError('not_found', `no object ${fromKey}`);
    return this.writeObject(
      toKey,
      createReadStream(from.file),
      from.contentType ?? 'application/octet-stream',
    );
  }

  /** Stream bytes into a new object (hashing, fsync, no overwrite) with its sidecar, crash-safely. */
  private async writeObject(
    key: string,
    source: NodeJS.ReadableStream,
    contentType: string,
  ): Promise<ObjectInfo> {
    assertSafeKey(key);
    const written = await writeVerified(source, { tmpDir: this.layout.tmpDir }, {});
    await commitObject(this.layout, key, {
      tmpPath: written.tmpPath,
      meta: { sha256: sha256Of(written), etag: mp.etagOf(written.md5Hex), contentType },
    });
    return this.mustHead(key);
  }

  async delete(key: string): Promise<void> {
    const { file, meta } = keyPaths(this.layout.root, key);
    // Bytes first: a sidecar alone is invisible, and a later commit of this key replaces it (or, if
    // that commit crashes, its pending sidecar wins: this one no longer fits the inode; fs-commit).
    await unlink(file).catch(ignoreMissing);
    await unlink(meta).catch(ignoreMissing);
  }

  /** No versions on disk: purging is deleting. */
  purge(key: string): Promise<void> {
    return this.delete(key);
  }

  list(prefix: string, options: ListOptions = {}): AsyncIterable<ListedObject> {
    return listObjects(this.layout, prefix, options.startAfter);
  }

  getRetention(): Promise<null> {
    return Promise.resolve(null);
  }

  putRetention(): Promise<void> {
    return Promise.reject(new StorageError('unsupported', 'the fs backend has no object lock'));
  }

  /** The database's `legal_hold` is the only hold on fs; nothing to do on disk. */
  setLegalHold(): Promise<void> {
    return Promise.resolve();
  }

  /**
   * Receive the body of a verified presigned PUT (called by the byte routes): single object or part,
   * streamed to a temp file, checked against the signed size/SHA-256/MD5, committed atomically.
   */
  receive(params: SignedParams, body: NodeJS.ReadableStream): Promise<{ etag: string }> {
    return receiveBody(this.layout, params, body);
  }

  /** Path and metadata for the GET route. */
  openForRead(key: string): Promise<(ObjectInfo & { file: string }) | null> {
    return headObject(this.layout, key);
  }
}

/** Run a synchronous step so that its throw becomes a rejection, as callers of async methods expect. */
function settle<T>(fn: () => T): Promise<T> {
  try {
    return Promise.resolve(fn());
  } catch (err) {
    return Promise.reject(err instanceof Error ? err : new Error(String(err)));
  }
}

function ignoreMissing(err: unknown): void {
  if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
}
