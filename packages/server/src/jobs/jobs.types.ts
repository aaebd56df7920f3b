// What a job is: a function over the server's collaborators that returns counts and an optional report.
import type { JobName } from '@fieldvault/shared/schemas';
import type { FastifyBaseLogger } from 'fastify';
import type { Database } from '../db/database.js';
import type { JsonValue } from '../db/schema.js';
import type { Config } from '../env.js';
import type { ObjectStore } from '../storage/object-store.js';
import type { Clock } from '../trpc/context.js';

/** What every job may use. */
export interface JobDeps {
  db: Database;
  store: ObjectStore;
  config: Config;
  clock: Clock;
  log: FastifyBaseLogger;
}

/** One invocation: its collaborators, scope and options. */
export interface JobContext extends JobDeps {
  /** Set when the lease is lost or the scheduler stops: finish the current item and return. */
  signal: AbortSignal;
  /** Limit the run to one org (runs an org admin asked for); null: every org. */
  orgId: string | null;
  /** Reconcile only: apply repairs instead of reporting. */
  repair: boolean;
  /** Rehash only: every verified file instead of the daily rolling sample. */
  all: boolean;
}

/** What a run produced: counters (shown in the run list) and an optional JSON report. */
export interface JobResult {
  counts: Record<string, number>;
  report?: JsonValue;
}

/** A job's body. */
export type JobFn = (ctx: JobContext) => Promise<JobResult>;

/** Every job by name. */
export type JobRegistry = Record<JobName, JobFn>;
