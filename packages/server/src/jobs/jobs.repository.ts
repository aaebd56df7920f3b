// SQL of the job scheduler: leases (one holder per job, renewed while it runs) and the job_runs record.
import { uuidv7 } from '@fieldvault/shared/ids';
import { sql } from 'kysely';
import type { Executor } from '../db/database.js';
import type { JobRunRow, JobTrigger, JsonValue } from '../db/schema.js';

/**
 * Take the lease of `job` for `ttlMs` when nobody holds it or the holder's lease ran out. One
 * conditional UPDATE: PostgreSQL re-checks the WHERE against the row a concurrent winner committed,
 * so of N replicas racing, exactly one gets the row back. Times are the database's (`now()`), so
 * replicas with skewed clocks still agree.
 */
export async function acquireLease(
  db: Executor,
  q: { job: string; holder: string; ttlMs: number },
): Promise<boolean> {
  await db
    .insertInto('job_leases')
    .values({ job: q.job, holder: null, lease_until: null, run_id: null })
    .onConflict((oc) => oc.column('job').doNothing())
    .execute();
  const row = await db
    .updateTable('job_leases')
    .set({
      holder: q.holder,
      lease_until: sql<Date>`now() + ${`${q.ttlMs} milliseconds`}::interval`,
      run_id: null,
    })
    .where('job', '=', q.job)
    .where((eb) => eb.or([eb('holder', 'is', null), eb('lease_until', '<', sql<Date>`now()`)]))
    .returning('job')
    .executeTakeFirst();
  return row !== undefined;
}

/** Extend a lease this holder still has; false when it was lost (expired and taken over). */
export async function renewLease(
  db: Executor,
  q: { job: string; holder: string; ttlMs: number; runId?: string },
): Promise<boolean> {
  const row = await db
    .updateTable('job_leases')
    .set({
      lease_until: sql<Date>`now() + ${`${q.ttlMs} milliseconds`}::interval`,
      ...(q.runId ? { run_id: q.runId } : {}),
    })
    .where('job', '=', q.job)
    .where('holder', '=', q.holder)
    .returning('job')
    .executeTakeFirst();
  return row !== undefined;
}

/** Give the lease back (only if this holder still has it). */
export async function releaseLease(
  db: Executor,
  q: { job: string; holder: string },
): Promise<void> {
  await db
    .updateTable('job_leases')
    .set({ holder: null, lease_until: null, run_id: null })
    .where('job', '=', q.job)
    .where('holder', '=', q.holder)
    .execute();
}

/** Record the start of a run. */
export function insertRun(
  db: Executor,
  q: { job: string; orgId: string | null; trigger: JobTrigger; holder: string; at: Date },
): Promise<JobRunRow> {
  return db
    .insertInto('job_runs')
    .values({
      // Time-ordered ids: runs started in the same clock tick still list in start order.
      id: uuidv7(),
      job: q.job,
      org_id: q.orgId,
      trigger: q.trigger,
      holder: q.holder,
      started_at: q.at,
      outcome: 'running',
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Record how a run ended. */
export function finishRun(
  db: Executor,
  q: {
    id: string;
    at: Date;
    outcome: 'succeeded' | 'failed';
    counts: Record<string, number>;
    report: JsonValue | null;
    error: string | null;
  },
): Promise<JobRunRow> {
  return db
    .updateTable('job_runs')
    .set({
      finished_at: q.at,
      outcome: q.outcome,
      counts: q.counts,
      report: q.report,
      error: q.error,
    })
    .where('id', '=', q.id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** The newest runs first, of one job or all; `orgId` limits to that org's runs and system-wide ones. */
export function listRuns(
  db: Executor,
  q: { job?: string; orgId?: string; limit: number },
): Promise<JobRunRow[]> {
  let query = db.selectFrom('job_runs').selectAll();
  if (q.job) query = query.where('job', '=', q.job);
  if (q.orgId) {
    const orgId = q.orgId;
    query = query.where((eb) => eb.or([eb('org_id', 'is', null), eb('org_id', '=', orgId)]));
  }
  return query.orderBy('started_at', 'desc').orderBy('id', 'desc').limit(q.limit).execute();
}
