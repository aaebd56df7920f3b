// `fieldvault jobs run <job>` and `fieldvault jobs runs`: run a job by hand under its lease, list recent runs.
import { jobName } from '@fieldvault/shared/schemas';
import { listRuns } from '../jobs/jobs.repository.js';
import { JOBS } from '../jobs/jobs.registry.js';
import { newHolderId, runJob } from '../jobs/jobs.runner.js';
import { toJobRun } from '../jobs/jobs.service.js';
import type { JobDeps } from '../jobs/jobs.types.js';

/** Exit codes: 0 ran and succeeded, 1 ran and failed, 75 (EX_TEMPFAIL) busy elsewhere, 64 bad usage. */
export async function runJobCommand(
  deps: JobDeps,
  args: { job: string | undefined; repair: boolean; all?: boolean; orgId?: string },
): Promise<number> {
  const parsed = jobName.safeParse(args.job);
  if (!parsed.success) {
    console.error(`fieldvault: name a job: ${jobName.options.join(', ')}`);
    return 64;
  }
  const out = await runJob(deps, {
    job: parsed.data,
    fn: JOBS[parsed.data],
    trigger: 'cli',
    holder: newHolderId(),
    orgId: args.orgId ?? null,
    repair: args.repair,
    all: args.all ?? false,
  });
  if (out.state === 'busy') {
    console.error(`fieldvault: ${parsed.data} is running on another replica; try again later`);
    return 75;
  }
  console.log(JSON.stringify(toJobRun(out.run, null), null, 2));
  return out.run.outcome === 'succeeded' ? 0 : 1;
}

/** `fieldvault reconcile`: run the reconcile job and print its report; exit 3 when it found anything. */
export async function reconcileCommand(
  deps: JobDeps,
  args: { repair: boolean; orgId?: string },
): Promise<number> {
  const out = await runJob(deps, {
    job: 'reconcile',
    fn: JOBS.reconcile,
    trigger: 'cli',
    holder: newHolderId(),
    orgId: args.orgId ?? null,
    repair: args.repair,
  });
  if (out.state === 'busy') {
    console.error('fieldvault: reconcile is running on another replica; try again later');
    return 75;
  }
  const run = toJobRun(out.run, null);
  console.log(JSON.stringify(run.report ?? { error: run.error }, null, 2));
  if (run.outcome !== 'succeeded') return 1;
  const found = Object.entries(run.counts).some(
    ([k, n]) => !['objects', 'records', 'repairErrors'].includes(k) && n > 0,
  );
  return found ? 3 : 0;
}

/** Print the newest runs (all orgs), one JSON object per line. */
export async function listRunsCommand(deps: JobDeps, job: string | undefined): Promise<number> {
  const rows = await listRuns(deps.db, { ...(job ? { job } : {}), limit: 50 });
  for (const row of rows) {
    const { report: _report, ...run } = toJobRun(row, null);
    console.log(JSON.stringify(run));
  }
  return 0;
}
