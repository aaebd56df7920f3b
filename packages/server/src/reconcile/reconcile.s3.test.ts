// Reconcile against Ceph RGW on PostgreSQL: the same seeded drift found exactly and repaired idempotently (S3 listings carry no content type).
import { afterAll, beforeAll, describe, inject, it } from 'vitest';
import { createHarness, type Harness } from '../test/harness.js';
import { createTestBucket, type TestBucket } from '../test/s3-store.js';
import { reconcileScenario } from './reconcile.scenario.js';

const s3 = inject('s3');

describe.skipIf(!s3)('reconcile on postgres (s3 backend, Ceph RGW)', () => {
  let h: Harness;
  let bucket: TestBucket;
  beforeAll(async () => {
    if (!s3) return;
    h = await createHarness('postgres');
    bucket = await createTestBucket(s3, { name: 'fv-recon' });
  });
  afterAll(async () => {
    await bucket?.destroy();
    await h?.destroy();
  });

  it('finds each seeded drift exactly, repairs it once, and a second repair changes nothing', async () => {
    await reconcileScenario(h, bucket.store, 'recon-s3');
  });
});
