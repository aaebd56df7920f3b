// Every background job by name: what the scheduler, the CLI and `jobs.run` call.
import { checkpoint } from '../checkpoints/checkpoints.service.js';
import { purge } from '../compliance/purge.job.js';
import { rehash } from '../compliance/rehash.job.js';
import { reconcile } from '../reconcile/reconcile.service.js';
import { expireStaleUploads } from '../uploads/uploads.expire.js';
import type { JobContext, JobRegistry, JobResult } from './jobs.types.js';

/** Expire upload sessions past their deadline and abort their multipart uploads (every org). */
async function abortStaleUploads(ctx: JobContext): Promise<JobResult> {
  const counts = await expireStaleUploads({ db: ctx.db, store: ctx.store, now: ctx.clock() });
  return { counts };
}

/** The jobs FieldVault runs. */
export const JOBS: JobRegistry = {
  reconcile,
  rehash,
  purge,
  checkpoint,
  'abort-stale-uploads': abortStaleUploads,
};
