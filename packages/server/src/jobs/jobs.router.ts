// The `jobs` router: admins (and auditors, read-only) see job runs; admins run a job now.
import { jobRun, jobRunInput, jobRunResult, jobRunsInput } from '@fieldvault/shared/schemas';
import type { AuthedContext } from '../trpc/context.js';
import { adminProcedure, roleProcedure, router } from '../trpc/init.js';
import { JOBS } from './jobs.registry.js';
import { listJobRuns, runJobNow } from './jobs.service.js';

const deps = (ctx: AuthedContext) => ({
  db: ctx.db,
  store: ctx.store,
  config: ctx.config,
  clock: ctx.clock,
  log: ctx.log,
  session: ctx.session,
  registry: JOBS,
});

export const jobsRouter = router({
  runs: roleProcedure('admin', 'auditor')
    .input(jobRunsInput)
    .output(jobRun.array())
    .query(({ ctx, input }) => listJobRuns(deps(ctx), input)),
  run: adminProcedure
    .input(jobRunInput)
    .output(jobRunResult)
    .mutation(({ ctx, input }) => runJobNow(deps(ctx), input)),
});
