// Runs one job under its lease: acquire (or answer busy), record the run, renew the lease while it works, record the outcome.
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { JobName } from '@fieldvault/shared/schemas';
import type { JobRunRow, JobTrigger } from '../db/schema.js';
import { acquireLease, finishRun, insertRun, releaseLease, renewLease } from './jobs.repository.js';
import type { JobDeps, JobFn } from './jobs.types.js';

/** Default lease: a crashed holder blocks its job for at most this long. */
export const LEASE_TTL_MS = 60_000;

/** A name for this process in leases and runs: host, pid and a random suffix (two schedulers in one process differ). */
export function newHolderId(): string {
  return `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
}

/** Which job to run, for whom and how. */
export interface RunRequest {
  job: JobName;
  fn: JobFn;
  trigger: JobTrigger;
  holder: string;
  orgId?: string | null;
  repair?: boolean;
  all?: boolean;
  ttlMs?: number;
  /** Stops the run early (scheduler shutdown). */
  signal?: AbortSignal;
}

/** The run that happened, or `busy` when another holder has the job. */
export type RunOutcome = { state: 'ran'; run: JobRunRow } | { state: 'busy' };

/**
 * Run `req.job` if its lease can be taken; otherwise answer busy without running. The lease is
 * renewed every third of its TTL; if a renewal finds it lost, the job's signal aborts so it stops
 * at the next item (another holder may have started). The run row is written either way.
 */
export async function runJob(deps: JobDeps, req: RunRequest): Promise<RunOutcome> {
  const ttlMs = req.ttlMs ?? LEASE_TTL_MS;
  const lease = { job: req.job, holder: req.holder, ttlMs };
  if (!(await acquireLease(deps.db, lease))) return { state: 'busy' };
  const controller = new AbortController();
  const onStop = (): void => controller.abort(new Error('scheduler stopping'));
  req.signal?.addEventListener('abort', onStop, { once: true });
  let timer: NodeJS.Timeout | undefined;
  try {
    const run = await insertRun(deps.db, { ...req, orgId: req.orgId ?? null, at: deps.clock() });
    await renewLease(deps.db, { ...lease, runId: run.id });
    timer = setInterval(
      () => {
        renewLease(deps.db, lease).then(
          (held) => held || controller.abort(new Error('job lease lost')),
          () => controller.abort(new Error('job lease could not be renewed')),
        );
      },
      Math.max(10, Math.floor(ttlMs / 3)),
    );
    const ctx = {
      ...deps,
      signal: controller.signal,
      orgId: req.orgId ?? null,
      repair: req.repair ?? false,
      all: req.all ?? false,
    };
    return { state: 'ran', run: await execute(deps, { run, fn: req.fn, ctx }) };
  } finally {
    clearInterval(timer);
    req.signal?.removeEventListener('abort', onStop);
    await releaseLease(deps.db, lease).catch(() => undefined);
  }
}

/** Call the job and record its outcome; a throwing job is a `failed` run, not an exception. */
async function execute(
  deps: JobDeps,
  q: { run: JobRunRow; fn: JobFn; ctx: Parameters<JobFn>[0] },
): Promise<JobRunRow> {
  try {
    const result = await q.fn(q.ctx);
    const outcome = q.ctx.signal.aborted ? 'failed' : 'succeeded';
    const error = q.ctx.signal.aborted ? stopReason(q.ctx.signal) : null;
    return await finishRun(deps.db, {
      id: q.run.id,
      at: deps.clock(),
      outcome,
      counts: result.counts,
      report: result.report ?? null,
      error,
    });
  } catch (err) {
    deps.log.error({ err, job: q.run.job, runId: q.run.id }, 'job failed');
    return finishRun(deps.db, {
      id: q.run.id,
      at: deps.clock(),
      outcome: 'failed',
      counts: {},
      report: null,
      error: err instanceof Error ? err.message : String(err),
    });
  }
}

function stopReason(signal: AbortSignal): string {
  const reason: unknown = signal.reason;
  return `stopped early: ${reason instanceof Error ? reason.message : String(reason)}`;
}
