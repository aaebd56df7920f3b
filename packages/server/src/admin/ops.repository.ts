// SQL of the admin desk's operational views: stored bytes by type/status/day, last job runs, failed upload sessions.
import { sql } from 'kysely';
import type { Executor } from '../db/database.js';

/** Statuses whose bytes are in storage (what the quota counts). */
export const STORED_STATUSES = ['verified', 'mismatch', 'deleted'] as const;

export interface CountBytes {
  count: number;
  bytes: number;
}

const num = (v: unknown) => Number(v ?? 0);

/** Stored files of an org grouped by system and object type. */
export async function usageByType(db: Executor, orgId: string) {
  const rows = await db
    .selectFrom('files')
    .select((eb) => [
      'system',
      'object_type',
      eb.fn.countAll<number>().as('count'),
      eb.fn.coalesce(eb.fn.sum<number>('size'), eb.lit(0)).as('bytes'),
    ])
    .where('org_id', '=', orgId)
    .where('status', 'in', STORED_STATUSES)
    .groupBy(['system', 'object_type'])
    .orderBy('system')
    .orderBy('object_type')
    .execute();
  return rows.map((r) => ({
    system: r.system,
    objectType: r.object_type,
    count: num(r.count),
    bytes: num(r.bytes),
  }));
}

/** An org's files by status (every status, stored or not). */
export async function usageByStatus(db: Executor, orgId: string) {
  const rows = await db
    .selectFrom('files')
    .select((eb) => [
      'status',
      eb.fn.countAll<number>().as('count'),
      eb.fn.coalesce(eb.fn.sum<number>('size'), eb.lit(0)).as('bytes'),
    ])
    .where('org_id', '=', orgId)
    .groupBy('status')
    .orderBy('status')
    .execute();
  return rows.map((r) => ({ status: r.status, count: num(r.count), bytes: num(r.bytes) }));
}

/** Files received per UTC day since `from` (days without files are absent). */
export async function receivedPerDay(db: Executor, q: { orgId: string; from: Date }) {
  const day = sql<string>`to_char(received_at at time zone 'UTC', 'YYYY-MM-DD')`;
  const rows = await db
    .selectFrom('files')
    .select((eb) => [
      day.as('day'),
      eb.fn.countAll<number>().as('count'),
      eb.fn.coalesce(eb.fn.sum<number>('size'), eb.lit(0)).as('bytes'),
    ])
    .where('org_id', '=', q.orgId)
    .where('received_at', '>=', q.from)
    .where('status', 'in', STORED_STATUSES)
    .groupBy(day)
    .execute();
  return new Map(rows.map((r) => [r.day, { count: num(r.count), bytes: num(r.bytes) }]));
}

/** The newest run of each job that concerns this org (its own runs and installation-wide ones). */
export function lastJobRuns(db: Executor, orgId: string) {
  return db
    .selectFrom('job_runs')
    .select(['job', 'started_at', 'finished_at', 'outcome', 'error', 'counts'])
    .distinctOn('job')
    .where((eb) => eb.or([eb('org_id', 'is', null), eb('org_id', '=', orgId)]))
    .orderBy('job')
    .orderBy('started_at', 'desc')
    .execute();
}

/**
 * Upload sessions of an org that did not end verified, newest first: mismatches (a completed session
 * that recorded the actual digest), expired (marked, or open past their expiry) and aborted ones.
 */
export function failedSessions(
  db: Executor,
  q: { orgId: string; now: Date; since: Date | null; limit: number },
) {
  let query = db
    .selectFrom('upload_sessions as s')
    .innerJoin('files as f', 'f.id', 's.file_id')
    .select([
      's.id as session_id',
      's.state',
      's.updated_at',
      's.expires_at',
      's.actual_sha256',
      'f.id as file_id',
      'f.capture_id',
      'f.original_filename',
      'f.object_id',
      'f.size',
      'f.sha256',
      'f.uploaded_by',
      'f.device_label',
    ])
    .where('s.org_id', '=', q.orgId)
    .where((eb) =>
      eb.or([
        eb('s.state', 'in', ['aborted', 'expired']),
        eb.and([eb('s.state', '=', 'open'), eb('s.expires_at', '<=', q.now)]),
        eb.and([eb('s.state', '=', 'completed'), eb('s.actual_sha256', 'is not', null)]),
      ]),
    );
  if (q.since) query = query.where('s.updated_at', '>=', q.since);
  return query.orderBy('s.updated_at', 'desc').orderBy('s.id', 'desc').limit(q.limit).execute();
}
