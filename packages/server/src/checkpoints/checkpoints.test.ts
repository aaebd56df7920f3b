// Signed checkpoints: signed once per moved head, verified offline with the public key; a rewritten chain, a truncated tail and a forged signature are caught (PostgreSQL superuser edits).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeAuditHash } from '../audit/audit.writer.js';
import { runBody } from '../compliance/compliance.test-kit.js';
import { DB_KINDS } from '../test/db.js';
import { createHarness, type Harness } from '../test/harness.js';
import { runCli } from '../test/cli-runner.js';
import { checkpoint, verifyAuditChain } from './checkpoints.service.js';
import { appendEvents, asSuperuser } from './checkpoints.test-kit.js';
import { resolveSigningKey } from './signing-key.js';

describe.each(DB_KINDS)('checkpoints on %s', (kind) => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness(kind);
  });
  afterAll(() => h.destroy());

  it('signs each moved chain head once, and the chain verifies against it', async () => {
    const org = await h.seedOrg(`cp-${kind}`);
    await appendEvents(h, org.orgId, 5);
    expect((await runBody(h, checkpoint, { orgId: org.orgId })).counts).toEqual({
      orgs: 1,
      signed: 1,
    });
    expect((await runBody(h, checkpoint, { orgId: org.orgId })).counts).toEqual({
      orgs: 1,
      signed: 0,
    });
    await appendEvents(h, org.orgId, 2);
    expect((await runBody(h, checkpoint, { orgId: org.orgId })).counts.signed).toBe(1);
    const { publicKey } = await resolveSigningKey(h.config);
    const verdict = await verifyAuditChain(h.deps.db, { orgId: org.orgId, publicKey });
    expect(verdict).toMatchObject({ ok: true, checked: 7, checkpoints: 2, firstBreak: null });
  });
});

describe('checkpoints against tampering on postgres', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness('postgres');
  });
  afterAll(() => h.destroy());

  const verify = async (orgId: string) =>
    verifyAuditChain(h.deps.db, {
      orgId,
      publicKey: (await resolveSigningKey(h.config)).publicKey,
    });

  async function checkpointedOrg(slug: string) {
    const org = await h.seedOrg(slug);
    await appendEvents(h, org.orgId, 6);
    await runBody(h, checkpoint, { orgId: org.orgId });
    return { orgId: org.orgId, org };
  }

  it('a chain rewritten consistently from seq 2 on passes its own check but not its checkpoint', async () => {
    const { orgId, org } = await checkpointedOrg('rewrite');
    await asSuperuser(h, async (trx) => {
      const rows = await trx
        .selectFrom('audit_events')
        .selectAll()
        .where('org_id', '=', orgId)
        .orderBy('seq')
        .execute();
      let prev = rows[0]?.hash ?? '';
      for (const row of rows.slice(1)) {
        const fields = {
          ...row,
          prev_hash: prev,
          details: row.seq === 2 ? { i: 'rewritten' } : row.details,
        };
        const { hash: _old, ...hashed } = fields;
        const hash = computeAuditHash(hashed);
        await trx
          .updateTable('audit_events')
          .set({ prev_hash: prev, details: fields.details, hash })
          .where('org_id', '=', orgId)
          .where('seq', '=', row.seq)
          .execute();
        prev = hash;
      }
      await trx
        .updateTable('audit_chain_heads')
        .set({ hash: prev })
        .where('org_id', '=', orgId)
        .execute();
    });
    const caller = h.caller((await h.sessionFor(org.users.admin)).session);
    expect((await caller.audit.verify()).ok).toBe(true);
    expect(await verify(orgId)).toMatchObject({
      ok: false,
      firstBreak: { seq: 6, reason: 'checkpoint_hash' },
    });
  });

  it('a truncated tail (last rows deleted, head moved back) is caught', async () => {
    const { orgId } = await checkpointedOrg('truncate');
    await asSuperuser(h, async (trx) => {
      await trx
        .deleteFrom('audit_events')
        .where('org_id', '=', orgId)
        .where('seq', '>', 4)
        .execute();
      const last = await trx
        .selectFrom('audit_events')
        .select('hash')
        .where('org_id', '=', orgId)
        .where('seq', '=', 4)
        .executeTakeFirstOrThrow();
      await trx
        .updateTable('audit_chain_heads')
        .set({ seq: 4, hash: last.hash })
        .where('org_id', '=', orgId)
        .execute();
    });
    expect(await verify(orgId)).toMatchObject({
      ok: false,
      firstBreak: { seq: 5, reason: 'truncated' },
    });
  });

  it('a forged checkpoint fails its signature; fieldvault verify-audit exits 2 naming the break', async () => {
    const { orgId } = await checkpointedOrg('forge');
    await h.test.db
      .updateTable('audit_checkpoints')
      .set({ hash: 'f'.repeat(64) })
      .where('org_id', '=', orgId)
      .execute();
    expect(await verify(orgId)).toMatchObject({
      ok: false,
      firstBreak: { reason: 'checkpoint_signature' },
    });
    const env = {
      DATABASE_URL: h.test.url ?? '',
      FIELDVAULT_DATA_DIR: h.config.dataDir,
      FIELDVAULT_SECRET: h.config.secret ?? '',
    };
    const out = await runCli(['verify-audit', '--org', orgId], env);
    expect(out.code).toBe(2);
    expect(out.stderr).toContain('checkpoint_signature');
  });
});
