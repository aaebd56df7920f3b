// Upload metrics through uploads.* on PGlite and PostgreSQL: begun/completed, mismatches and failures, storage calls.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCaller } from '../app-router.js';
import type { Metrics } from '../metrics.js';
import { instrumentObjectStore } from '../metrics.storage.js';
import { DB_KINDS } from '../test/db.js';
import { createInnerContext } from '../trpc/context.js';
import {
  beginInput,
  createUploadKit,
  expectState,
  jpegBytes,
  put,
  type Caller,
  type UploadKit,
} from './uploads.test-kit.js';

/** Current value of a counter (summed over label sets when `labels` is omitted). */
async function counter(
  metrics: Metrics,
  name: string,
  labels: Record<string, string> = {},
): Promise<number> {
  const metric = metrics.registry.getSingleMetric(name);
  if (!metric) throw new Error(`metric ${name} is not registered`);
  const { values } = await metric.get();
  return values
    .filter((v) => Object.entries(labels).every(([k, want]) => v.labels[k] === want))
    .reduce((sum, v) => sum + v.value, 0);
}

describe.each(DB_KINDS)('upload metrics on %s', (kind) => {
  let kit: UploadKit;
  let field: Caller;
  let metrics: Metrics;
  beforeAll(async () => {
    kit = await createUploadKit(kind);
    metrics = kit.deps.metrics;
    // As http/server.ts does: the store the services see is instrumented.
    const deps = { ...kit.deps, store: instrumentObjectStore(kit.store, metrics) };
    const { session } = await kit.h.sessionFor(kit.orgA.users.field);
    field = createCaller(
      createInnerContext({ deps, session, meta: { ip: '203.0.113.7', userAgent: 'vitest' } }),
    );
  });
  afterAll(async () => {
    await kit.destroy();
  });

  const snapshot = async () => ({
    begun: await counter(metrics, 'fieldvault_uploads_begun_total'),
    completed: await counter(metrics, 'fieldvault_uploads_completed_total'),
    failed: await counter(metrics, 'fieldvault_uploads_failed_total', { reason: 'HASH_MISMATCH' }),
    mismatches: await counter(metrics, 'fieldvault_verification_mismatches_total'),
  });

  it('a verified upload moves begun and completed by one each, and its storage calls are timed', async () => {
    const before = await snapshot();
    const bytes = jpegBytes(5000);
    const begun = expectState(await field.uploads.begin(beginInput(bytes)), 'single');
    expect((await snapshot()).begun).toBe(before.begun + 1);
    expect((await put(begun.put, bytes)).status).toBe(200);
    expect((await field.uploads.complete({ sessionId: begun.sessionId })).state).toBe('verified');

    expect(await snapshot()).toEqual({
      ...before,
      begun: before.begun + 1,
      completed: before.completed + 1,
    });
    // Repeating complete answers the same verdict without counting it again.
    await field.uploads.complete({ sessionId: begun.sessionId });
    expect((await snapshot()).completed).toBe(before.completed + 1);

    const { values } = await metrics.storageCallDuration.get();
    const ops = values
      .filter((v) => v.metricName?.endsWith('_count') && v.labels.outcome === 'ok')
      .map((v) => v.labels.operation);
    expect(ops).toEqual(expect.arrayContaining(['presignPut', 'head']));
  });

  it('a mismatch counts a verification mismatch and a failure with reason HASH_MISMATCH', async () => {
    const before = await snapshot();
    const bytes = jpegBytes(3000);
    const input = beginInput(bytes);
    const begun = expectState(await field.uploads.begin(input), 'single');
    await put(begun.put, bytes);
    const { key } = await kit.h.test.db
      .selectFrom('files')
      .select('key')
      .where('capture_id', '=', input.captureId)
      .executeTakeFirstOrThrow();
    // Tamper with the stored object between PUT and complete.
    await kit.store.delete(key);
    await kit.store.putObject(key, jpegBytes(3000), { contentType: 'image/jpeg' });
    expect((await field.uploads.complete({ sessionId: begun.sessionId })).state).toBe('mismatch');

    expect(await snapshot()).toEqual({
      begun: before.begun + 1,
      completed: before.completed,
      failed: before.failed + 1,
      mismatches: before.mismatches + 1,
    });
  });
});
