// Appends audit events to the per-org hash chain inside the caller's transaction: seq gapless, hash = SHA-256(row + prev_hash).
import { createHash, randomUUID } from 'node:crypto';
import type { AuditAction } from '@fieldvault/shared/schemas';
import { sql } from 'kysely';
import type { Tx } from '../db/database.js';
import type { AuditEventRow, JsonValue, Role } from '../db/schema.js';
import { canonicalJson } from './canonical-json.js';

/**
 * The audit row could not be written; the action it records fails with it. Counted in
 * `fieldvault_audit_write_failures_total` and logged as CRITICAL by the HTTP layer.
 */
export class AuditWriteError extends Error {
  override readonly name = 'AuditWriteError';
  constructor(
    readonly action: string,
    options: { cause: unknown },
  ) {
    super(`audit write failed for ${action}`, options);
  }
}

/** True when `error` or one of its causes is an {@link AuditWriteError}. */
export function isAuditWriteError(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 10; e = e.cause, depth++) {
    if (e instanceof AuditWriteError) return true;
  }
  return false;
}

/** prev_hash of an org's first event. */
export const GENESIS_HASH = '0'.repeat(64);

export interface AuditEventInput {
  orgId: string;
  at: Date;
  /** Device clock for events recorded on the device. */
  deviceAt?: Date | null;
  actor: { userId: string | null; role: Role | null };
  ip?: string | null;
  userAgent?: string | null;
  deviceLabel?: string | null;
  action: AuditAction;
  target?: { fileId?: string | null; key?: string | null; captureId?: string | null };
  success: boolean;
  errorCode?: string | null;
  /** Structured context; never file contents or secrets. */
  details?: { [key: string]: JsonValue };
}

/** The hashed fields of an audit row, in their wire names (what `audit.verify` recomputes). */
export type HashedAuditFields = Omit<AuditEventRow, 'hash'>;

/** SHA-256 hex of the canonical JSON of the row including its prev_hash. */
export function computeAuditHash(row: HashedAuditFields): string {
  const body = canonicalJson({
    id: row.id,
    orgId: row.org_id,
    seq: row.seq,
    at: row.at,
    deviceAt: row.device_at,
    actorUserId: row.actor_user_id,
    actorRole: row.actor_role,
    ip: row.ip,
    userAgent: row.user_agent,
    deviceLabel: row.device_label,
    action: row.action,
    targetFileId: row.target_file_id,
    targetKey: row.target_key,
    captureId: row.capture_id,
    success: row.success,
    errorCode: row.error_code,
    details: row.details,
    prevHash: row.prev_hash,
  });
  return createHash('sha256').update(body, 'utf8').digest('hex');
}

/**
 * Append one event. Must run inside the transaction that makes the change it records, so the
 * change and its audit row commit or fail together. Concurrency: the org's chain head row is
 * locked `FOR UPDATE`, so concurrent writers of one org queue up and seq stays gapless; other
 * orgs are not blocked.
 */
export async function appendAuditEvent(trx: Tx, event: AuditEventInput): Promise<AuditEventRow> {
  const [row] = await appendAuditEvents(trx, [event]);
  if (!row) throw new AuditWriteError(event.action, { cause: new Error('no row written') });
  return row;
}

/**
 * Append several events of one org, in order, as consecutive links of its chain: the one-org case
 * of {@link appendAuditEventsAcrossOrgs} (one lock of the chain head, one statement writing every row
 * and the new head). Same rules as {@link appendAuditEvent}.
 */
export async function appendAuditEvents(
  trx: Tx,
  events: readonly AuditEventInput[],
): Promise<AuditEventRow[]> {
  const first = events[0];
  if (first && events.some((e) => e.orgId !== first.orgId)) {
    const cause = new Error('appendAuditEvents: every event must belong to one org');
    throw new AuditWriteError(first.action, { cause });
  }
  return appendAuditEventsAcrossOrgs(trx, events);
}

/**
 * Append events of several orgs in one transaction (a group commit of many callers' changes): each
 * org's events, in their given order, become consecutive links of its chain. The heads are locked in
 * one statement in org-id order (two such transactions cannot deadlock on each other), and every row
 * and every new head is written by one more. Returns the rows in the order of `events`.
 */
export async function appendAuditEventsAcrossOrgs(
  trx: Tx,
  events: readonly AuditEventInput[],
): Promise<AuditEventRow[]> {
  const first = events[0];
  if (!first) return [];
  try {
    // Each org's events by their index in `events`, in order (the same object may appear twice).
    const byOrg = new Map<string, number[]>();
    events.forEach((event, i) => {
      const ofOrg = byOrg.get(event.orgId);
      if (ofOrg) ofOrg.push(i);
      else byOrg.set(event.orgId, [i]);
    });
    const heads = await lockChainHeads(trx, [...byOrg.keys()]);
    const chained: AuditEventRow[] = [];
    const rows: AuditEventRow[] = [];
    for (const [orgId, indices] of byOrg) {
      const head = heads.get(orgId) ?? { seq: 0, hash: GENESIS_HASH };
      const links = chainRows(
        head,
        indices.map((i) => events[i] as AuditEventInput),
      );
      links.forEach((row, k) => (chained[indices[k] as number] = row));
      rows.push(...links);
    }
    await writeRows(trx, rows);
    return chained;
  } catch (err) {
    throw new AuditWriteError(first.action, { cause: err });
  }
}

/**
 * Chain heads each open transaction holds (locked, and as it last wrote them): a second append in the
 * same transaction — and the file-events outbox after an audit write — need not lock and read again.
 * Safe because the lock lasts until the transaction ends, the callback-style transactions used here
 * have no savepoints to roll a lock back, and a failed statement fails the whole transaction.
 */
const heldHeads = new WeakMap<Tx, Map<string, { seq: number; hash: string }>>();

/**
 * Lock the org's chain head and read it (or return it as this transaction already holds it). Read
 * committed: `FOR UPDATE` waits for a concurrent writer and then returns the head it committed. The
 * head row is created on an org's first event only (one round trip, not two, on every later append).
 * The file-events outbox takes this same lock.
 */
export async function lockChainHead(
  trx: Tx,
  orgId: string,
): Promise<{ seq: number; hash: string }> {
  const head = (await lockChainHeads(trx, [orgId])).get(orgId);
  if (!head) throw new Error(`audit chain head of org ${orgId} could not be created`);
  return head;
}

/**
 * Lock several orgs' chain heads in one statement, in org-id order, and read them (those this
 * transaction already holds are not locked again); heads missing for an org's first event are created.
 */
export async function lockChainHeads(
  trx: Tx,
  orgIds: readonly string[],
): Promise<Map<string, { seq: number; hash: string }>> {
  const heads = new Map<string, { seq: number; hash: string }>();
  const wanted: string[] = [];
  for (const orgId of orgIds) {
    const held = heldHeads.get(trx)?.get(orgId);
    if (held) heads.set(orgId, held);
    else wanted.push(orgId);
  }
  const lock = async (ids: string[]) => {
    if (ids.length === 0) return;
    const rows = await trx
      .selectFrom('audit_chain_heads')
      .select(['org_id', 'seq', 'hash'])
      .where('org_id', 'in', ids)
      .orderBy('org_id')
      .forUpdate()
      .execute();
    for (const { org_id, ...head } of rows) {
      heads.set(org_id, head);
      holdHead(trx, org_id, head);
    }
  };
  await lock(wanted);
  const missing = wanted.filter((orgId) => !heads.has(orgId)).sort();
  if (missing.length > 0) {
    await trx
      .insertInto('audit_chain_heads')
      .values(missing.map((org_id) => ({ org_id, seq: 0, hash: GENESIS_HASH })))
      .onConflict((oc) => oc.column('org_id').doNothing())
      .execute();
    await lock(missing);
  }
  const lost = wanted.find((orgId) => !heads.has(orgId));
  if (lost) throw new Error(`audit chain head of org ${lost} could not be created`);
  return heads;
}

function holdHead(trx: Tx, orgId: string, head: { seq: number; hash: string }): void {
  const heads = heldHeads.get(trx) ?? new Map<string, { seq: number; hash: string }>();
  heads.set(orgId, { seq: head.seq, hash: head.hash });
  heldHeads.set(trx, heads);
}

/** The rows for `events` following `head`: seq + 1, + 2, …, each prev_hash the hash before it. */
export function chainRows(
  head: { seq: number; hash: string },
  events: readonly AuditEventInput[],
): AuditEventRow[] {
  let { seq, hash } = head;
  return events.map((event) => {
    const fields = hashedFields(event, { seq: ++seq, prevHash: hash });
    hash = computeAuditHash(fields);
    return { ...fields, hash };
  });
}

/** The row's hashed fields, normalised as they round-trip through the database. */
function hashedFields(
  event: AuditEventInput,
  link: { seq: number; prevHash: string },
): HashedAuditFields {
  return {
    id: randomUUID(),
    org_id: event.orgId,
    seq: link.seq,
    // Dates carry milliseconds only, so they round-trip through timestamptz unchanged.
    at: new Date(event.at.getTime()),
    device_at: event.deviceAt ? new Date(event.deviceAt.getTime()) : null,
    actor_user_id: event.actor.userId,
    actor_role: event.actor.role,
    ip: event.ip ?? null,
    user_agent: event.userAgent ?? null,
    device_label: event.deviceLabel ?? null,
    action: event.action,
    target_file_id: event.target?.fileId ?? null,
    target_key: event.target?.key ?? null,
    capture_id: event.target?.captureId ?? null,
    success: event.success,
    error_code: event.errorCode ?? null,
    details: event.details ?? {},
    prev_hash: link.prevHash,
  };
}

/** One statement: insert the rows and move each (locked) head to the last of its org's rows. */
async function writeRows(trx: Tx, rows: readonly AuditEventRow[]): Promise<void> {
  const last = new Map<string, AuditEventRow>();
  for (const row of rows) last.set(row.org_id, row);
  if (last.size === 0) return;
  const next = sql.join(
    [...last.values()].map((r) => sql`(${r.org_id}::uuid, ${r.seq}::bigint, ${r.hash}::text)`),
  );
  await trx
    .with('appended', (db) =>
      db
        .insertInto('audit_events')
        .values([...rows])
        .returning('seq'),
    )
    .updateTable('audit_chain_heads')
    .from(
      sql<{ org_id: string; seq: number; hash: string }>`(values ${next})`.as<'next'>(
        sql`next(org_id, seq, hash)`,
      ),
    )
    .set((eb) => ({ seq: eb.ref('next.seq'), hash: eb.ref('next.hash') }))
    .whereRef('audit_chain_heads.org_id', '=', 'next.org_id')
    .execute();
  for (const [orgId, row] of last) holdHead(trx, orgId, row);
}
