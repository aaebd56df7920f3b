// SQL for reading the audit log: keyset pages by seq, the seq window of a date range, chain batches and the chain head.
import type { AuditListFilters } from '@fieldvault/shared/schemas';
import type { Executor } from '../db/database.js';
import type { AuditEventRow } from '../db/schema.js';

export interface AuditPageQuery {
  orgId: string;
  filters: AuditListFilters;
  /** Only events with a smaller seq (the previous page's last). */
  beforeSeq: number | null;
  limit: number;
}

/** One page of an org's events, newest (highest seq) first. */
export function listAuditEvents(db: Executor, q: AuditPageQuery): Promise<AuditEventRow[]> {
  const f = q.filters;
  let query = db.selectFrom('audit_events').selectAll().where('org_id', '=', q.orgId);
  if (f.userId) query = query.where('actor_user_id', '=', f.userId);
  if (f.fileId) query = query.where('target_file_id', '=', f.fileId);
  if (f.action) query = query.where('action', '=', f.action);
  if (f.failuresOnly) query = query.where('success', '=', false);
  if (f.from) query = query.where('at', '>=', new Date(f.from));
  if (f.to) query = query.where('at', '<=', new Date(f.to));
  if (q.beforeSeq !== null) query = query.where('seq', '<', q.beforeSeq);
  return query.orderBy('seq', 'desc').limit(q.limit).execute();
}

/** The lowest seq at or after `from` and the highest at or before `to` (null bound: the chain's end). */
export async function seqWindow(
  db: Executor,
  q: { orgId: string; from: Date | null; to: Date | null },
): Promise<{ first: number | null; last: number | null }> {
  let first = db
    .selectFrom('audit_events')
    .select((eb) => eb.fn.min<number>('seq').as('seq'))
    .where('org_id', '=', q.orgId);
  if (q.from) first = first.where('at', '>=', q.from);
  let last = db
    .selectFrom('audit_events')
    .select((eb) => eb.fn.max<number>('seq').as('seq'))
    .where('org_id', '=', q.orgId);
  if (q.to) last = last.where('at', '<=', q.to);
  // One after the other: inside a transaction both share one connection anyway.
  const a = await first.executeTakeFirst();
  const b = await last.executeTakeFirst();
  const num = (v: number | string | null | undefined) => (v == null ? null : Number(v));
  return { first: num(a?.seq), last: num(b?.seq) };
}

/** Up to `limit` events of an org with `fromSeq <= seq <= toSeq`, in seq order (gaps show as jumps). */
export function readChainBatch(
  db: Executor,
  q: { orgId: string; fromSeq: number; toSeq: number; limit: number },
): Promise<AuditEventRow[]> {
  return db
    .selectFrom('audit_events')
    .selectAll()
    .where('org_id', '=', q.orgId)
    .where('seq', '>=', q.fromSeq)
    .where('seq', '<=', q.toSeq)
    .orderBy('seq')
    .limit(q.limit)
    .execute();
}

/** The org's chain head (last seq and hash as the writer recorded them), or undefined before any event. */
export function findChainHead(
  db: Executor,
  orgId: string,
): Promise<{ seq: number; hash: string } | undefined> {
  return db
    .selectFrom('audit_chain_heads')
    .select(['seq', 'hash'])
    .where('org_id', '=', orgId)
    .executeTakeFirst();
}

/** How many of an org's events match the filters (what an export is about to send). */
export async function countAuditEvents(
  db: Executor,
  q: { orgId: string; filters: AuditListFilters; beforeSeq?: number },
): Promise<number> {
  const f = q.filters;
  let query = db
    .selectFrom('audit_events')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('org_id', '=', q.orgId);
  if (f.userId) query = query.where('actor_user_id', '=', f.userId);
  if (f.fileId) query = query.where('target_file_id', '=', f.fileId);
  if (f.action) query = query.where('action', '=', f.action);
  if (f.failuresOnly) query = query.where('success', '=', false);
  if (f.from) query = query.where('at', '>=', new Date(f.from));
  if (f.to) query = query.where('at', '<=', new Date(f.to));
  if (q.beforeSeq !== undefined) query = query.where('seq', '<', q.beforeSeq);
  const row = await query.executeTakeFirstOrThrow();
  return Number(row.n);
}
