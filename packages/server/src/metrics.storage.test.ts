// The storage metrics decorator over a real disk store: labels on success and failure, listings, pass-through, unwrapping.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMetrics, type Metrics } from './metrics.js';
import { instrumentObjectStore, unwrapObjectStore } from './metrics.storage.js';
import { isStorageError } from './storage/errors.js';
import { FsObjectStore, type ObjectStore } from './storage/index.js';

type Labels = Partial<Record<'operation' | 'backend' | 'outcome' | 'code', string>>;

/** True when a sample carries exactly the wanted label values (ignoring labels not asked for). */
function matches(have: Partial<Record<string, string | number>>, want: Labels): boolean {
  return Object.entries(want).every(([k, v]) => have[k] === v);
}

/** Observations the histogram holds for exactly these labels (0 when none). */
async function callCount(metrics: Metrics, labels: Labels): Promise<number> {
  const { values } = await metrics.storageCallDuration.get();
  const sample = values.find(
    (v) =>
      v.metricName === 'fieldvault_storage_call_duration_seconds_count' &&
      matches(v.labels, labels),
  );
  return sample?.value ?? 0;
}

/** The error counter's value for exactly these labels (0 when none). */
async function errorCount(metrics: Metrics, labels: Labels): Promise<number> {
  const { values } = await metrics.storageErrors.get();
  const sample = values.find((v) => matches(v.labels, labels));
  return sample?.value ?? 0;
}

/** Every error counter sample, as `operation/code` strings. */
async function errorSeries(metrics: Metrics): Promise<string[]> {
  const { values } = await metrics.storageErrors.get();
  return values.map((v) => `${String(v.labels.operation)}/${String(v.labels.code)}`).sort();
}

describe('instrumentObjectStore (fs backend)', () => {
  let dir: string;
  let fs: FsObjectStore;
  let metrics: Metrics;
  let store: ObjectStore;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'fv-metrics-store-'));
    fs = await new FsObjectStore({
      kind: 'fs',
      dir,
      secret: randomBytes(32).toString('hex'),
      publicBaseUrl: 'http://127.0.0.1:8080',
    }).init();
    metrics = createMetrics();
    store = instrumentObjectStore(fs, metrics);
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('times successful calls by operation and backend with outcome ok, and counts no error', async () => {
    const written = await store.putObject('a/one.txt', Buffer.from('hello'), {
      contentType: 'text/plain',
    });
    expect(written.size).toBe(5);
    expect(await store.head('a/one.txt')).toMatchObject({ size: 5 });
    // A missing key is an answer (null), not a failure.
    expect(await store.head('a/missing.txt')).toBeNull();

    expect(await callCount(metrics, { operation: 'putObject', backend: 'fs', outcome: 'ok' })).toBe(
      1,
    );
    expect(await callCount(metrics, { operation: 'head', backend: 'fs', outcome: 'ok' })).toBe(2);
    expect(await callCount(metrics, { operation: 'head', backend: 'fs', outcome: 'error' })).toBe(
      0,
    );
    expect(await errorSeries(metrics)).toEqual([]);
  });

  it('counts a failure under the storage error code and rethrows the same error', async () => {
    await store.putObject('a/taken.txt', Buffer.from('x'), { contentType: 'text/plain' });
    const err = await store
      .putObject('a/taken.txt', Buffer.from('y'), { contentType: 'text/plain' })
      .catch((e: unknown) => e);
    expect(isStorageError(err, 'object_exists')).toBe(true);

    const missing = await store.getStream('a/nothing.txt').catch((e: unknown) => e);
    expect(isStorageError(missing, 'not_found')).toBe(true);

    expect(await callCount(metrics, { operation: 'putObject', backend: 'fs', outcome: 'ok' })).toBe(
      1,
    );
    expect(
      await callCount(metrics, { operation: 'putObject', backend: 'fs', outcome: 'error' }),
    ).toBe(1);
    expect(
      await errorCount(metrics, { operation: 'putObject', backend: 'fs', code: 'object_exists' }),
    ).toBe(1);
    expect(
      await errorCount(metrics, { operation: 'getStream', backend: 'fs', code: 'not_found' }),
    ).toBe(1);
  });

  it('counts presign calls, with `unknown` for a failure that is not a StorageError', async () => {
    const options = { size: 1, contentType: 'text/plain', sha256: 'a'.repeat(64), expiresIn: 60 };
    const signed = await store.presignPut('a/new.txt', options);
    expect(signed.method).toBe('PUT');
    const badDigest = await store
      .presignPut('a/new.txt', { ...options, sha256: 'not-hex' })
      .catch((e: unknown) => e);
    expect(badDigest).toBeInstanceOf(TypeError);
    const badKey = await store.presignPut('../escape', options).catch((e: unknown) => e);
    expect(isStorageError(badKey, 'invalid_key')).toBe(true);

    expect(
      await callCount(metrics, { operation: 'presignPut', backend: 'fs', outcome: 'ok' }),
    ).toBe(1);
    expect(await errorSeries(metrics)).toEqual(['presignPut/invalid_key', 'presignPut/unknown']);
  });

  it('times a listing once over the whole iteration, also when the consumer stops early', async () => {
    for (const name of ['x/1', 'x/2', 'x/3']) {
      await store.putObject(name, Buffer.from(name), { contentType: 'text/plain' });
    }
    const keys: string[] = [];
    for await (const o of store.list('x/')) keys.push(o.key);
    expect(keys.sort()).toEqual(['x/1', 'x/2', 'x/3']);
    expect(await callCount(metrics, { operation: 'list', backend: 'fs', outcome: 'ok' })).toBe(1);

    for await (const o of store.list('x/')) {
      expect(o.key).toMatch(/^x\//);
      break;
    }
    expect(await callCount(metrics, { operation: 'list', backend: 'fs', outcome: 'ok' })).toBe(2);

    const uploads = [];
    for await (const u of store.listMultipartUploads('x/')) uploads.push(u);
    expect(uploads).toEqual([]);
    expect(
      await callCount(metrics, { operation: 'listMultipartUploads', backend: 'fs', outcome: 'ok' }),
    ).toBe(1);
  });

  it('is not applied twice and unwraps to the backend (the fs byte routes need the class)', async () => {
    const again = instrumentObjectStore(store, metrics);
    expect(again).toBe(store);
    expect(unwrapObjectStore(store)).toBe(fs);
    expect(unwrapObjectStore(fs)).toBe(fs);
    expect(store.capabilities()).toEqual(fs.capabilities());
    await again.head('a/b');
    expect(await callCount(metrics, { operation: 'head', backend: 'fs', outcome: 'ok' })).toBe(1);
  });
});
