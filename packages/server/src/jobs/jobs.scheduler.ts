// The in-process scheduler: one croner timer per job from config; each tick runs the job under its Postgres lease.
import { Cron } from 'croner';
import { jobName, type JobName } from '@fieldvault/shared/schemas';
import { newHolderId, runJob, type RunOutcome } from './jobs.runner.js';
import type { JobDeps, JobRegistry } from './jobs.types.js';

/** A running scheduler. */
export interface Scheduler {
  /** This replica's holder id (in leases and runs). */
  readonly holder: string;
  /** Stop the timers, ask running jobs to stop, and wait for them. */
  stop(): Promise<void>;
}

/** What the scheduler needs: collaborators, the jobs and (tests) the schedule and lease TTL. */
export interface SchedulerOptions {
  registry: JobRegistry;
  /** Cron expression per job (`off`: not scheduled); default: `deps.config.jobs.cron`. */
  cron?: Partial<Record<JobName, string>>;
  ttlMs?: number;
  holder?: string;
}

/**
 * Start one timer per scheduled job. A tick while this replica still runs the job is skipped
 * (croner `protect`); a tick while another replica holds it answers busy and is skipped too, so
 * each firing runs at most once across the fleet.
 */
export function startScheduler(deps: JobDeps, options: SchedulerOptions): Scheduler {
  const holder = options.holder ?? newHolderId();
  const schedule = options.cron ?? deps.config.jobs.cron;
  const controller = new AbortController();
  const inFlight = new Set<Promise<RunOutcome>>();
  const timers: Cron[] = [];
  for (const job of jobName.options) {
    const expr = schedule[job];
    if (!expr || expr === 'off') continue;
    const tick = async (): Promise<void> => {
      const running = runJob(deps, {
        job,
        fn: options.registry[job],
        trigger: 'schedule',
        holder,
        signal: controller.signal,
        ...(options.ttlMs ? { ttlMs: options.ttlMs } : {}),
      });
      inFlight.add(running);
      try {
        await running;
      } catch (err) {
        deps.log.error({ err, job }, 'scheduled job could not run');
      } finally {
        inFlight.delete(running);
      }
    };
    timers.push(
      new Cron(expr, { protect: true, timezone: 'UTC', name: `fv-${job}-${holder}` }, tick),
    );
  }
  deps.log.info({ holder, jobs: timers.length }, 'job scheduler started');
  return {
    holder,
    async stop() {
      for (const t of timers) t.stop();
      controller.abort(new Error('scheduler stopping'));
      await Promise.allSettled([...inFlight]);
    },
  };
}
