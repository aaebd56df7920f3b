// Paginated S3 listings (parts, multipart uploads, objects) that tolerate provider quirks in their markers.
import {
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
  ListPartsCommand,
} from '@aws-sdk/client-s3';
import type { S3Client } from '@aws-sdk/client-s3';
import type { ListedObject, MultipartUploadInfo, UploadedPart } from '../object-store.js';
import { toStorageError } from './s3-errors.js';

/** Where to list. */
export interface BucketRef {
  client: S3Client;
  bucket: string;
}

/** Every part of an upload across all ListParts pages, ordered by part number. */
export async function listAllParts(
  ref: BucketRef,
  key: string,
  uploadId: string,
): Promise<UploadedPart[]> {
  const parts: UploadedPart[] = [];
  let marker: string | undefined;
  for (;;) {
    const page = await ref.client
      .send(
        new ListPartsCommand({
          Bucket: ref.bucket,
          Key: key,
          UploadId: uploadId,
          ...(marker ? { PartNumberMarker: marker } : {}),
        }),
      )
      .catch((err: unknown) => toStorageError(err, 'listParts'));
    for (const p of page.Parts ?? [])
      parts.push({ partNumber: p.PartNumber ?? 0, etag: p.ETag ?? '', size: p.Size ?? 0 });
    const next = page.NextPartNumberMarker;
    // MinIO answers NextPartNumberMarker=0 on the last page; a marker that does not advance would loop forever.
    if (!page.IsTruncated || !next || next === '0' || next === marker) break;
    marker = next;
  }
  return parts.sort((a, b) => a.partNumber - b.partNumber);
}

/** Multipart uploads in progress under `prefix`, across all pages. */
export async function* listUploads(
  ref: BucketRef,
  prefix: string,
): AsyncGenerator<MultipartUploadInfo> {
  let keyMarker: string | undefined;
  let uploadIdMarker: string | undefined;
  for (;;) {
    const page = await ref.client
      .send(
        new ListMultipartUploadsCommand({
          Bucket: ref.bucket,
          Prefix: prefix,
          KeyMarker: keyMarker,
          UploadIdMarker: uploadIdMarker,
        }),
      )
      .catch((err: unknown) => toStorageError(err, 'listMultipartUploads'));
    for (const u of page.Uploads ?? []) {
      if (u.Key && u.UploadId)
        yield { key: u.Key, uploadId: u.UploadId, initiated: u.Initiated ?? new Date(0) };
    }
    const stuck = page.NextKeyMarker === keyMarker && page.NextUploadIdMarker === uploadIdMarker;
    if (!page.IsTruncated || stuck) return;
    keyMarker = page.NextKeyMarker;
    uploadIdMarker = page.NextUploadIdMarker;
  }
}

/** Objects under `prefix` in key order, across all ListObjectsV2 pages (1,000 keys each). */
export async function* listObjects(
  ref: BucketRef,
  prefix: string,
  startAfter?: string,
): AsyncGenerator<ListedObject> {
  let token: string | undefined;
  do {
    const page = await ref.client
      .send(
        new ListObjectsV2Command({
          Bucket: ref.bucket,
          Prefix: prefix,
          ...(token ? { ContinuationToken: token } : startAfter ? { StartAfter: startAfter } : {}),
        }),
      )
      .catch((err: unknown) => toStorageError(err, 'list'));
    for (const o of page.Contents ?? []) {
      if (!o.Key) continue;
      const lastModified = o.LastModified ?? new Date(0);
      yield { key: o.Key, size: o.Size ?? 0, etag: o.ETag ?? '', lastModified };
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
}
