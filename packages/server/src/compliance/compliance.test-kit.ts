// Test kit for compliance jobs: run a job body directly with the harness's collaborators, flip a stored byte behind the app's back.
import { readFile, writeFile } from 'node:fs/promises';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { keyPaths } from '../storage/fs/fs-keys.js';
import { FsObjectStore, S3ObjectStore, type ObjectStore } from '../storage/index.js';
import type { JobFn, JobResult } from '../jobs/jobs.types.js';
import type { Harness } from '../test/harness.js';

/** Run a job body once over every org (or one), outside the scheduler. */
export function runBody(
  h: Harness,
  fn: JobFn,
  q: { store?: ObjectStore; orgId?: string | null; all?: boolean } = {},
): Promise<JobResult> {
  return fn({
    ...h.deps,
    store: q.store ?? h.deps.store,
    signal: new AbortController().signal,
    orgId: q.orgId ?? null,
    repair: false,
    all: q.all ?? false,
  });
}

/**
 * Change one byte of a stored object directly in storage, as bit rot or an intruder would: on disk
 * the file itself (its sidecar keeps the old hash), on S3 a plain PutObject of the altered bytes.
 */
export async function flipStoredByte(
  store: ObjectStore,
  q: { key: string; bytes: Buffer; bucket?: string },
): Promise<void> {
  const altered = Buffer.from(q.bytes);
  altered[0] = (altered[0] ?? 0) ^ 0xff;
  if (store instanceof FsObjectStore) {
    const { file } = keyPaths(store.layout.root, q.key);
    const onDisk = await readFile(file);
    onDisk[0] = (onDisk[0] ?? 0) ^ 0xff;
    await writeFile(file, onDisk);
    return;
  }
  if (store instanceof S3ObjectStore && q.bucket) {
    await store.client.send(new PutObjectCommand({ Bucket: q.bucket, Key: q.key, Body: altered }));
    return;
  }
  throw new Error('flipStoredByte: unknown store');
}
