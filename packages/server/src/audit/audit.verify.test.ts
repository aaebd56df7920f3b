// Fast chain verification: the same hash as the writer for any row, the same first break as findChainBreak for any tampering, and verify-audit naming the first broken link across batches.
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../checkpoints/checkpoints.service.js';
import { resolveSigningKey } from '../checkpoints/signing-key.js';
import type { AuditEventRow, JsonValue } from '../db/schema.js';
import { createHarness, type Harness } from '../test/harness.js';
import { findChainBreak } from './audit.chain.js';
import { auditRowHash, findChainBreakFast } from './audit.verify.js';
import { appendAuditEvent, computeAuditHash, GENESIS_HASH } from './audit.writer.js';

const text = fc.string({ unit: 'binary', maxLength: 12 });
const nullable = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: null });
const date = fc.date({
  min: new Date('2000-01-01'),
  max: new Date('2100-01-01'),
  noInvalidDate: true,
});
const details = fc.dictionary(
  fc.string({ maxLength: 6 }),
  fc.jsonValue({ maxDepth: 2 }),
) as fc.Arbitrary<{
  [key: string]: JsonValue;
}>;

/** Any hashed row the writer could produce (and then some: any text in any field). */
const fields = fc.record({
  id: fc.uuid(),
  org_id: fc.uuid(),
  seq: fc.integer({ min: 1, max: 2 ** 40 }),
  at: date,
  device_at: nullable(date),
  actor_user_id: nullable(fc.uuid()),
  actor_role: nullable(fc.constantFrom('field', 'office', 'admin', 'auditor' as const)),
  ip: nullable(text),
  user_agent: nullable(text),
  device_label: nullable(text),
  action: text,
  target_file_id: nullable(fc.uuid()),
  target_key: nullable(text),
  capture_id: nullable(fc.uuid()),
  success: fc.boolean(),
  error_code: nullable(text),
  details,
  prev_hash: fc.string({
    unit: fc.constantFrom(...'0123456789abcdef'),
    minLength: 64,
    maxLength: 64,
  }),
});

/** A valid chain of `n` rows built with the writer's hash. */
function chain(n: number): AuditEventRow[] {
  const rows: AuditEventRow[] = [];
  let prev = GENESIS_HASH;
  const orgId = randomUUID();
  for (let seq = 1; seq <= n; seq++) {
    const f = {
      id: randomUUID(),
      org_id: orgId,
      seq,
      at: new Date(Date.UTC(2026, 0, 1, 0, 0, seq)),
      device_at: null,
      actor_user_id: null,
      actor_role: null,
      ip: null,
      user_agent: null,
      device_label: null,
      action: 'FILE_VIEWED',
      target_file_id: null,
      target_key: null,
      capture_id: null,
      success: true,
      error_code: null,
      details: { seq },
      prev_hash: prev,
    };
    prev = computeAuditHash(f);
    rows.push({ ...f, hash: prev });
  }
  return rows;
}

describe('fast chain verification', () => {
  it('hashes any row exactly as the writer does', () => {
    fc.assert(
      fc.property(fields, (row) => {
        expect(auditRowHash(row)).toBe(computeAuditHash(row));
      }),
      { numRuns: 500 },
    );
  });

  it('names the same first break as findChainBreak, whatever is changed where', () => {
    const rows = chain(30);
    const edits = fc.array(
      fc.record({
        at: fc.nat({ max: 29 }),
        how: fc.constantFrom('details', 'hash', 'prev_hash', 'seq', 'drop'),
      }),
      { maxLength: 3 },
    );
    fc.assert(
      fc.property(edits, (es) => {
        let t = rows.map((r) => ({ ...r }));
        for (const e of es) {
          const r = t[e.at];
          if (!r) continue;
          if (e.how === 'details') r.details = { seq: -1 };
          if (e.how === 'hash') r.hash = 'f'.repeat(64);
          if (e.how === 'prev_hash') r.prev_hash = 'e'.repeat(64);
          if (e.how === 'seq') r.seq += 100;
          if (e.how === 'drop') t = t.filter((x) => x !== r);
        }
        const start = { seq: 1, prevHash: GENESIS_HASH };
        expect(findChainBreakFast(t, start)).toEqual(findChainBreak(t, start));
      }),
      { numRuns: 300 },
    );
  });
});

describe('verify-audit on postgres across batches', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness('postgres');
  });
  afterAll(() => h.destroy());

  it('names the first broken link when a row deep in a 2,500-event chain is altered', async () => {
    const org = await h.seedOrg('verify-fast');
    await h.deps.db.transaction().execute(async (trx) => {
      for (let i = 0; i < 2500; i++) {
        await appendAuditEvent(trx, {
          orgId: org.orgId,
          at: h.clock.now(),
          actor: { userId: null, role: null },
          action: 'RECONCILE_RUN',
          success: true,
          details: { i },
        });
      }
    });
    const { publicKey } = await resolveSigningKey(h.config);
    const verify = () => verifyAuditChain(h.deps.db, { orgId: org.orgId, publicKey });
    expect(await verify()).toMatchObject({ ok: true, checked: 2500, firstBreak: null });
    // As the database owner: triggers off for this transaction only.
    await h.test.db.transaction().execute(async (trx) => {
      await sql`set local session_replication_role = replica`.execute(trx);
      for (const seq of [1700, 2100]) {
        await trx
          .updateTable('audit_events')
          .set({ details: { i: 'edited' } })
          .where('org_id', '=', org.orgId)
          .where('seq', '=', seq)
          .execute();
      }
    });
    expect(await verify()).toMatchObject({
      ok: false,
      checked: 1699,
      firstBreak: { seq: 1700, reason: 'hash' },
    });
  });
});
