// Reading the audit log: keyset pages for the audit screen and chain verification that streams the chain in batches.
import {
  AUDIT_PAGE_DEFAULT,
  type AuditAction,
  type AuditEvent,
  type AuditListInput,
  type AuditPage,
  type AuditVerifyInput,
  type AuditVerifyResult,
} from '@fieldvault/shared/schemas';
import type { Database, Tx } from '../db/database.js';
import type { AuditEventRow } from '../db/schema.js';
import type { JsonValue } from '../db/schema.js';
import type { Clock, RequestMeta, SessionInfo } from '../trpc/context.js';
import { findChainBreak } from './audit.chain.js';
import { findChainHead, listAuditEvents, readChainBatch, seqWindow } from './audit.repository.js';
import { decodeAuditCursor, encodeAuditCursor } from './audit.cursor.js';
import { appendAuditEvent, GENESIS_HASH } from './audit.writer.js';
import { keysetPage } from '../db/keyset-page.js';

export interface AuditReadDeps {
  db: Database;
  /** The reader; their org scopes every query. */
  session: SessionInfo;
}

/** Rows read per round trip while verifying: memory stays bounded whatever the chain's length. */
export const VERIFY_BATCH = 1000;

/** The wire form of an audit row (dates as ISO strings). */
export function toAuditEvent(row: AuditEventRow): AuditEvent {
  const details = row.details;
  return {
    id: row.id,
    orgId: row.org_id,
    seq: row.seq,
    at: row.at.toISOString(),
    deviceAt: row.device_at ? row.device_at.toISOString() : null,
    action: row.action as AuditAction,
    actorId: row.actor_user_id,
    actorRole: row.actor_role,
    fileId: row.target_file_id,
    targetKey: row.target_key,
    captureId: row.capture_id,
    deviceLabel: row.device_label,
    ip: row.ip,
    userAgent: row.user_agent,
    success: row.success,
    errorCode: row.error_code,
    details: details && typeof details === 'object' && !Array.isArray(details) ? details : {},
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}

/** One page of the reader's org's audit log, newest first. */
export async function listAudit(deps: AuditReadDeps, input: AuditListInput): Promise<AuditPage> {
  const limit = input?.limit ?? AUDIT_PAGE_DEFAULT;
  const rows = await listAuditEvents(deps.db, {
    orgId: deps.session.orgId,
    filters: input?.filters ?? {},
    beforeSeq: input?.cursor ? decodeAuditCursor(input.cursor) : null,
    limit: limit + 1,
  });
  return keysetPage(rows, limit, {
    toItem: toAuditEvent,
    cursorOf: (row) => encodeAuditCursor(row.seq),
  });
}

type Break = NonNullable<AuditVerifyResult['firstBreak']>;

interface Walk {
  orgId: string;
  /** First seq to recompute: one before the window, so the link into it is checked too. */
  startSeq: number;
  toSeq: number;
}

/** Recompute `startSeq..toSeq` batch by batch; the first break, the rows checked and the last row. */
async function walkChain(
  trx: Tx,
  walk: Walk,
): Promise<{ checked: number; firstBreak: Break | null; last: AuditEventRow | null }> {
  let cursor: { seq: number; prevHash: string } | null =
    walk.startSeq === 1 ? { seq: 1, prevHash: GENESIS_HASH } : null;
  let checked = 0;
  let last: AuditEventRow | null = null;
  for (let next = walk.startSeq; next <= walk.toSeq;) {
    const rows = await readChainBatch(trx, { ...walk, fromSeq: next, limit: VERIFY_BATCH });
    const first = rows[0];
    if (!first) break;
    // Mid-chain start: the anchor row's own prev_hash is taken as given; its hash is still recomputed.
    cursor ??= { seq: walk.startSeq, prevHash: first.prev_hash };
    const found = findChainBreak(rows, cursor);
    if (found) {
      checked += rows.findIndex((r) => r.seq === found.seq) + 1;
      return { checked, firstBreak: found, last };
    }
    checked += rows.length;
    last = rows.at(-1) ?? last;
    if (!last) break;
    cursor = { seq: last.seq + 1, prevHash: last.hash };
    next = last.seq + 1;
  }
  const expected = cursor?.seq ?? walk.startSeq;
  // Fewer rows than the window counts: the newest ones were removed.
  if (expected <= walk.toSeq)
    return { checked, firstBreak: { seq: expected, reason: 'missing' }, last };
  return { checked, firstBreak: null, last };
}

/**
 * Recompute the reader's org's chain (or the window `from..to` of it) inside one repeatable-read
 * snapshot, so events appended meanwhile cannot look like a broken head. Without `to` the chain is
 * checked up to the head the writer recorded: removed newest rows and a replaced last row show too.
 */
export function verifyAudit(
  deps: AuditReadDeps,
  input: AuditVerifyInput,
): Promise<AuditVerifyResult> {
  const orgId = deps.session.orgId;
  return deps.db
    .transaction()
    .setIsolationLevel('repeatable read')
    .execute(async (trx) => {
      const head = await findChainHead(trx, orgId);
      const window = await seqWindow(trx, {
        orgId,
        from: input?.from ? new Date(input.from) : null,
        to: input?.to ? new Date(input.to) : null,
      });
      // A window past the last surviving row still owes the rows the head counts after it.
      const tailStart = input?.to ? null : (window.last ?? 0) + 1;
      const fromSeq = input?.from ? (window.first ?? tailStart) : 1;
      const toSeq = input?.to ? window.last : (head?.seq ?? 0);
      if (fromSeq === null || toSeq === null || toSeq < fromSeq || toSeq < 1) {
        return { ok: true, checked: 0, fromSeq: null, toSeq: null, firstBreak: null };
      }
      const walked = await walkChain(trx, { orgId, startSeq: Math.max(1, fromSeq - 1), toSeq });
      let firstBreak = walked.firstBreak;
      if (!firstBreak && !input?.to && head && walked.last?.hash !== head.hash) {
        firstBreak = { seq: head.seq, reason: 'head' };
      }
      return { ok: firstBreak === null, checked: walked.checked, fromSeq, toSeq, firstBreak };
    });
}

/**
 * `audit.verify` as the API runs it: verify, then record that the chain was checked and what was
 * found (AUDIT_VERIFIED; `success: false`, `CHAIN_BROKEN` when a link is broken) — who checked the
 * trail is part of the trail. The row is written after the snapshot, so it never verifies itself.
 */
export async function verifyAndRecord(
  deps: AuditReadDeps & { clock: Clock; meta: RequestMeta },
  input: AuditVerifyInput,
): Promise<AuditVerifyResult> {
  const result = await verifyAudit(deps, input);
  await deps.db.transaction().execute((trx) =>
    appendAuditEvent(trx, {
      orgId: deps.session.orgId,
      at: deps.clock(),
      actor: { userId: deps.session.userId, role: deps.session.role },
      ip: deps.meta.ip,
      userAgent: deps.meta.userAgent,
      deviceLabel: deps.session.deviceLabel,
      action: 'AUDIT_VERIFIED',
      success: result.ok,
      errorCode: result.ok ? null : 'CHAIN_BROKEN',
      details: {
        from: input?.from ?? null,
        to: input?.to ?? null,
        checked: result.checked,
        fromSeq: result.fromSeq,
        toSeq: result.toSeq,
        firstBreak: result.firstBreak as { [key: string]: JsonValue } | null,
      },
    }),
  );
  return result;
}
