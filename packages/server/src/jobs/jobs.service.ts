// The jobs API's decisions: which runs an admin sees (other orgs' reports never), and running a job now for their org.
import type {
  JobName,
  JobRun,
  JobRunInput,
  JobRunResult,
  JobRunsInput,
} from '@fieldvault/shared/schemas';
import type { JobRunRow } from '../db/schema.js';
import type { SessionInfo } from '../trpc/context.js';
import { listRuns } from './jobs.repository.js';
import { newHolderId, runJob } from './jobs.runner.js';
import type { JobDeps, JobRegistry } from './jobs.types.js';

/** What the jobs procedures need. */
export interface JobsApiDeps extends JobDeps {
  session: SessionInfo;
  registry: JobRegistry;
}

/** The wire form of a run; the report only when the run was limited to `orgId` (system-wide ones name every org's keys). */
export function toJobRun(row: JobRunRow, orgId: string | null): JobRun {
  const counts = row.counts;
  return {
    id: row.id,
    job: row.job as JobName,
    orgId: row.org_id,
    trigger: row.trigger,
    holder: row.holder,
    startedAt: row.started_at.toISOString(),
    finishedAt: row.finished_at?.toISOString() ?? null,
    outcome: row.outcome,
    counts:
      counts && typeof counts === 'object' && !Array.isArray(counts)
        ? (counts as Record<string, number>)
        : {},
    report: orgId === null || row.org_id === orgId ? row.report : null,
    error: row.error,
  };
}

/** The newest runs the caller's org may see. */
export async function listJobRuns(deps: JobsApiDeps, input: JobRunsInput): Promise<JobRun[]> {
  const rows = await listRuns(deps.db, {
    ...(input?.job ? { job: input.job } : {}),
    orgId: deps.session.orgId,
    limit: input?.limit ?? 20,
  });
  return rows.map((r) => toJobRun(r, deps.session.orgId));
}

/** Run a job now, limited to the caller's org where the job allows; `busy` when it is running elsewhere. */
export async function runJobNow(deps: JobsApiDeps, input: JobRunInput): Promise<JobRunResult> {
  const out = await runJob(deps, {
    job: input.job,
    fn: deps.registry[input.job],
    trigger: 'manual',
    holder: newHolderId(),
    orgId: deps.session.orgId,
    repair: input.repair ?? false,
    all: input.all ?? false,
  });
  if (out.state === 'busy') return out;
  return { state: 'ran', run: toJobRun(out.run, deps.session.orgId) };
}
