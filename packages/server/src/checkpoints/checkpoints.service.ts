// Signed audit checkpoints: the checkpoint job signs each org's chain head; verifyAuditChain recomputes the chain against every checkpoint.
import type { KeyObject } from 'node:crypto';
import { canonicalJson } from '../audit/canonical-json.js';
import { findChainHead } from '../audit/audit.repository.js';
import { chainBatches, findChainBreakFast } from '../audit/audit.verify.js';
import { GENESIS_HASH } from '../audit/audit.writer.js';
import type { Database } from '../db/database.js';
import type { JobContext, JobResult } from '../jobs/jobs.types.js';
import type { ObjectStore } from '../storage/object-store.js';
import {
  compareWithBucket,
  putCheckpointObject,
  readCheckpointObjects,
  type BucketBreakReason,
} from './checkpoints.bucket.js';
import {
  headsWithLastCheckpoint,
  insertCheckpoint,
  listCheckpoints,
  type CheckpointRow,
} from './checkpoints.repository.js';
import {
  keyIdOf,
  resolveSigningKey,
  signText,
  verifyText,
  type SigningKey,
} from './signing-key.js';

/** The exact text a checkpoint signs. */
export function checkpointText(c: { org_id: string; seq: number; hash: string; at: Date }): string {
  return canonicalJson({ org: c.org_id, seq: c.seq, hash: c.hash, at: c.at.toISOString() });
}

/** Sign and store one checkpoint; with FIELDVAULT_CHECKPOINTS_TO_BUCKET also put it under checkpoints/. */
async function writeCheckpoint(
  ctx: JobContext,
  q: { key: SigningKey; head: { org_id: string; seq: number; hash: string } },
): Promise<void> {
  const at = ctx.clock();
  const base = { org_id: q.head.org_id, seq: q.head.seq, hash: q.head.hash, at };
  const row: CheckpointRow = {
    ...base,
    key_id: q.key.keyId,
    signature: signText(q.key, checkpointText(base)),
  };
  await insertCheckpoint(ctx.db, row);
  if (ctx.config.jobs.checkpointsToBucket) await putCheckpointObject(ctx.store, row);
}

/** The checkpoint job: sign the chain head of every org (or one) that moved since its last checkpoint. */
export async function checkpoint(ctx: JobContext): Promise<JobResult> {
  const key = await resolveSigningKey(ctx.config);
  const counts = { orgs: 0, signed: 0 };
  for (const head of await headsWithLastCheckpoint(ctx.db, ctx.orgId)) {
    counts.orgs++;
    if (Number(head.last) >= head.seq) continue;
    await writeCheckpoint(ctx, { key, head });
    counts.signed++;
  }
  return { counts };
}

/** Why verification stopped: the chain's own reasons, or a checkpoint that disagrees with it. */
export type AuditBreakReason =
  | 'gap'
  | 'prev_hash'
  | 'hash'
  | 'missing'
  | 'head'
  | 'checkpoint_hash'
  | 'checkpoint_signature'
  | 'truncated'
  | BucketBreakReason;

/** The result of verifying one org's chain against its checkpoints. */
export interface AuditChainVerdict {
  orgId: string;
  ok: boolean;
  checked: number;
  checkpoints: number;
  firstBreak: { seq: number; reason: AuditBreakReason } | null;
}

/** Check every checkpoint's signature; the first bad one. */
function badSignature(
  checkpoints: CheckpointRow[],
  publicKey: KeyObject,
): CheckpointRow | undefined {
  const keyId = keyIdOf(publicKey);
  return checkpoints.find(
    (c) =>
      c.key_id !== keyId ||
      !verifyText(publicKey, { text: checkpointText(c), signature: c.signature }),
  );
}

/**
 * Recompute an org's chain from seq 1 to its head in batches and hold it to every checkpoint: a
 * signature that fails, a row whose hash differs from a checkpoint's (a rewritten chain) or a
 * checkpoint past the last row (a truncated tail) is a break, as are the chain's own breaks. With
 * `store` (checkpoints written to the bucket) the bucket's checkpoint objects must match the rows
 * first (checkpoints.bucket.ts): one rewritten, removed or added on either side is a break.
 */
export async function verifyAuditChain(
  db: Database,
  q: { orgId: string; publicKey: KeyObject; store?: ObjectStore | null },
): Promise<AuditChainVerdict> {
  const checkpoints = await listCheckpoints(db, q.orgId);
  const verdict = (
    checked: number,
    firstBreak: AuditChainVerdict['firstBreak'],
  ): AuditChainVerdict => ({
    orgId: q.orgId,
    ok: firstBreak === null,
    checked,
    checkpoints: checkpoints.length,
    firstBreak,
  });
  const forged = badSignature(checkpoints, q.publicKey);
  if (forged) return verdict(0, { seq: forged.seq, reason: 'checkpoint_signature' });
  if (q.store) {
    const objects = await readCheckpointObjects(q.store, q.orgId);
    const planted = badSignature(
      objects.flatMap((o) => (o.row ? [o.row] : [])),
      q.publicKey,
    );
    if (planted) return verdict(0, { seq: planted.seq, reason: 'checkpoint_signature' });
    const differs = compareWithBucket(checkpoints, objects);
    if (differs) return verdict(0, differs);
  }
  const bySeq = new Map(checkpoints.map((c) => [c.seq, c]));
  const head = await findChainHead(db, q.orgId);
  const toSeq = Math.max(head?.seq ?? 0, checkpoints.at(-1)?.seq ?? 0);
  let cursor = { seq: 1, prevHash: GENESIS_HASH };
  let checked = 0;
  const batches = chainBatches(db, { orgId: q.orgId, fromSeq: 1, toSeq, limit: 1000 });
  for await (const rows of batches) {
    const found = findChainBreakFast(rows, cursor);
    for (const row of rows) {
      if (found && row.seq >= found.seq)
        return verdict(checked, { seq: found.seq, reason: found.reason });
      const cp = bySeq.get(row.seq);
      if (cp && cp.hash !== row.hash)
        return verdict(checked, { seq: row.seq, reason: 'checkpoint_hash' });
      checked++;
      cursor = { seq: row.seq + 1, prevHash: row.hash };
    }
  }
  const lastCheckpoint = checkpoints.at(-1);
  if (lastCheckpoint && lastCheckpoint.seq >= cursor.seq)
    return verdict(checked, { seq: cursor.seq, reason: 'truncated' });
  if (head && cursor.seq <= head.seq)
    return verdict(checked, { seq: cursor.seq, reason: 'missing' });
  if (head && head.seq > 0 && cursor.prevHash !== head.hash)
    return verdict(checked, { seq: head.seq, reason: 'head' });
  return verdict(checked, null);
}
