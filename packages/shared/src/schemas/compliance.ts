// Compliance and operations messages: background jobs and their runs (reconcile, rehash, purge, …), legal holds, certificates.
import { z } from 'zod';
import { isoDateTime, uuid } from './common.js';

/** Every background job; each runs on a schedule, from the CLI and from `jobs.run`. */
export const jobName = z.enum(['abort-stale-uploads']);
/** A background job. */
export type JobName = z.infer<typeof jobName>;

/** How a run ended (`running` while it is under way). */
export const jobOutcome = z.enum(['running', 'succeeded', 'failed']);
/** How a run ended. */
export type JobOutcome = z.infer<typeof jobOutcome>;

/** One run of a job. `orgId` null: a run over every org (scheduled or CLI); `report` only for the caller's own org. */
export const jobRun = z.strictObject({
  id: uuid,
  job: jobName,
  orgId: uuid.nullable(),
  trigger: z.enum(['schedule', 'manual', 'cli']),
  holder: z.string(),
  startedAt: isoDateTime,
  finishedAt: isoDateTime.nullable(),
  outcome: jobOutcome,
  counts: z.record(z.string(), z.number()),
  report: z.json().nullable(),
  error: z.string().nullable(),
});
/** One run of a job. */
export type JobRun = z.infer<typeof jobRun>;

/** `jobs.runs`: the newest runs first, optionally of one job. */
export const jobRunsInput = z
  .strictObject({
    job: jobName.optional(),
    limit: z.number().int().min(1).max(100).optional(),
  })
  .optional();
/** `jobs.runs` input. */
export type JobRunsInput = z.infer<typeof jobRunsInput>;

/** `jobs.run`: run a job now for the caller's org; `repair` applies to reconcile only. */
export const jobRunInput = z.strictObject({
  job: jobName,
  repair: z.boolean().optional(),
});
/** `jobs.run` input. */
export type JobRunInput = z.infer<typeof jobRunInput>;

/** The answer to `jobs.run`: the run, or `busy` when another replica holds the job right now. */
export const jobRunResult = z.discriminatedUnion('state', [
  z.strictObject({ state: z.literal('ran'), run: jobRun }),
  z.strictObject({ state: z.literal('busy') }),
]);
/** The answer to `jobs.run`. */
export type JobRunResult = z.infer<typeof jobRunResult>;
