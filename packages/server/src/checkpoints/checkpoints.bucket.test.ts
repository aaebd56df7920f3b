// Checkpoints in the bucket, on the disk store and on Ceph RGW: each lands signed under checkpoints/, and verify-audit names an object tampered with, removed, or left behind by a removed row.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { runBody } from '../compliance/compliance.test-kit.js';
import type { ObjectStore } from '../storage/object-store.js';
import { runCli } from '../test/cli-runner.js';
import { createHarness, type Harness } from '../test/harness.js';
import { createTestBucket, type TestBucket } from '../test/s3-store.js';
import { checkpointObjectKey } from './checkpoints.bucket.js';
import { listCheckpoints } from './checkpoints.repository.js';
import { checkpoint, checkpointText, verifyAuditChain } from './checkpoints.service.js';
import { appendEvents, asSuperuser } from './checkpoints.test-kit.js';
import { resolveSigningKey, verifyText } from './signing-key.js';

const s3 = inject('s3');
const ON = { FIELDVAULT_CHECKPOINTS_TO_BUCKET: 'true' };

async function readText(store: ObjectStore, key: string): Promise<string> {
  const chunks: Uint8Array[] = [];
  for await (const c of await store.getStream(key)) chunks.push(c);
  return Buffer.concat(chunks).toString('utf8');
}

/** Replace an object as someone with write access to the bucket would (no Object Lock here). */
async function overwrite(store: ObjectStore, key: string, body: string): Promise<void> {
  await store.delete(key);
  await store.putObject(key, Buffer.from(body), { contentType: 'application/json' });
}

/** The same cases on one backend: `store()` is the bucket the checkpoint job and verify-audit use. */
function bucketCases(name: string, setup: () => { h: Harness; store: ObjectStore }) {
  /** An org with two checkpoints (after 3 and 5 events), both written to the bucket. */
  async function twoCheckpoints(slug: string) {
    const { h, store } = setup();
    const org = await h.seedOrg(`${slug}-${name}`);
    for (const n of [3, 2]) {
      await appendEvents(h, org.orgId, n);
      await runBody(h, checkpoint, { store, orgId: org.orgId });
    }
    const rows = await listCheckpoints(h.deps.db, org.orgId);
    const { publicKey } = await resolveSigningKey(h.config);
    const verify = () => verifyAuditChain(h.deps.db, { orgId: org.orgId, publicKey, store });
    return { h, store, orgId: org.orgId, rows, publicKey, verify };
  }

  it('each checkpoint lands under checkpoints/ with the row, signed, and the chain verifies', async () => {
    const { store, rows, publicKey, verify } = await twoCheckpoints('land');
    expect(rows.map((r) => r.seq)).toEqual([3, 5]);
    for (const row of rows) {
      const key = checkpointObjectKey(row);
      expect((await store.head(key))?.contentType).toBe('application/json');
      const o = JSON.parse(await readText(store, key)) as Record<string, unknown>;
      expect(o).toEqual({
        org: row.org_id,
        seq: row.seq,
        hash: row.hash,
        at: row.at.toISOString(),
        keyId: row.key_id,
        signature: row.signature,
      });
      const text = checkpointText({ ...row, at: new Date(o['at'] as string) });
      expect(verifyText(publicKey, { text, signature: o['signature'] as string })).toBe(true);
    }
    expect(await verify()).toMatchObject({
      ok: true,
      checked: 5,
      checkpoints: 2,
      firstBreak: null,
    });
  });

  it('an object whose hash was changed fails its signature; one unlike its row is named', async () => {
    const { store, rows, verify } = await twoCheckpoints('tamper');
    const [first, second] = rows;
    if (!first || !second) throw new Error('two checkpoints expected');
    const key = checkpointObjectKey(second);
    const o = JSON.parse(await readText(store, key)) as Record<string, unknown>;
    await overwrite(store, key, JSON.stringify({ ...o, hash: 'f'.repeat(64) }));
    expect(await verify()).toMatchObject({
      ok: false,
      firstBreak: { seq: 5, reason: 'checkpoint_signature' },
    });
    // Validly signed, but another checkpoint's: it does not describe the key it sits under.
    await overwrite(store, key, await readText(store, checkpointObjectKey(first)));
    expect(await verify()).toMatchObject({
      ok: false,
      firstBreak: { seq: 5, reason: 'checkpoint_object' },
    });
  });

  it('a removed checkpoint object is named missing', async () => {
    const { store, rows, verify } = await twoCheckpoints('missing');
    const second = rows[1];
    if (!second) throw new Error('two checkpoints expected');
    await store.delete(checkpointObjectKey(second));
    expect(await verify()).toMatchObject({
      ok: false,
      firstBreak: { seq: 5, reason: 'checkpoint_object_missing' },
    });
  });

  it('a checkpoint row removed from the database is caught by its object', async () => {
    const { h, orgId, verify } = await twoCheckpoints('row-gone');
    // Superuser: the rewrite a database owner could make and the bucket is there to expose.
    await asSuperuser(h, (trx) =>
      trx
        .deleteFrom('audit_checkpoints')
        .where('org_id', '=', orgId)
        .where('seq', '=', 5)
        .execute(),
    );
    expect(await verify()).toMatchObject({
      ok: false,
      firstBreak: { seq: 5, reason: 'checkpoint_row_missing' },
    });
  });
}

describe('checkpoints in the bucket on postgres (fs)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness('postgres', ON);
  });
  afterAll(() => h.destroy());

  bucketCases('fs', () => ({ h, store: h.deps.store }));

  it('fieldvault verify-audit reads the bucket: a removed object exits 2 naming it', async () => {
    const org = await h.seedOrg('cli-fs');
    await appendEvents(h, org.orgId, 2);
    await runBody(h, checkpoint, { orgId: org.orgId });
    await appendEvents(h, org.orgId, 1);
    await runBody(h, checkpoint, { orgId: org.orgId });
    const env = {
      DATABASE_URL: h.test.url ?? '',
      FIELDVAULT_DATA_DIR: h.config.dataDir,
      FIELDVAULT_SECRET: h.config.secret ?? '',
      ...ON,
    };
    expect((await runCli(['verify-audit', '--org', org.orgId], env)).code).toBe(0);
    await h.deps.store.delete(checkpointObjectKey({ org_id: org.orgId, seq: 3 }));
    const out = await runCli(['verify-audit', '--org', org.orgId], env);
    expect(out.code).toBe(2);
    expect(out.stderr).toContain('checkpoint_object_missing');
  });
});

describe.skipIf(!s3)('checkpoints in the bucket on postgres (s3 backend, Ceph RGW)', () => {
  let h: Harness;
  let bucket: TestBucket;
  beforeAll(async () => {
    if (!s3) return;
    h = await createHarness('postgres', ON);
    bucket = await createTestBucket(s3, { name: 'fv-checkpoints' });
  });
  afterAll(async () => {
    await bucket?.destroy();
    await h?.destroy();
  });

  bucketCases('s3', () => ({ h, store: bucket.store }));
});
