// The scheduler's guarantees: leases give one holder per job (PGlite and PostgreSQL), runs are recorded, and two schedulers never overlap.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../db/database.js';
import { DB_KINDS } from '../test/db.js';
import { createHarness, type Harness } from '../test/harness.js';
import { JOBS } from './jobs.registry.js';
import { acquireLease, releaseLease } from './jobs.repository.js';
import { runJob } from './jobs.runner.js';
import { startScheduler } from './jobs.scheduler.js';
import type { JobDeps, JobFn, JobRegistry } from './jobs.types.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A job that records when it ran (real time) and counts how many ran at once. */
function recordingJob(ms: number) {
  const spans: { start: number; end: number }[] = [];
  let active = 0;
  let maxActive = 0;
  const fn: JobFn = async () => {
    active++;
    maxActive = Math.max(maxActive, active);
    const start = performance.now();
    await sleep(ms);
    spans.push({ start, end: performance.now() });
    active--;
    return { counts: { slept: ms } };
  };
  return { fn, spans, maxActive: () => maxActive };
}

const registryOf = (fn: JobFn): JobRegistry => ({ ...JOBS, 'abort-stale-uploads': fn });

describe.each(DB_KINDS)('jobs on %s', (kind) => {
  let h: Harness;
  let deps: JobDeps;
  beforeAll(async () => {
    h = await createHarness(kind);
    deps = h.deps;
  });
  afterAll(() => h.destroy());

  it('records a run with its counts, and a throwing job as failed with its error', async () => {
    const ok = await runJob(deps, {
      job: 'abort-stale-uploads',
      fn: () => Promise.resolve({ counts: { expired: 3 }, report: { note: 'x' } }),
      trigger: 'cli',
      holder: 'test-a',
    });
    expect(ok.state).toBe('ran');
    if (ok.state !== 'ran') return;
    expect(ok.run).toMatchObject({ outcome: 'succeeded', counts: { expired: 3 }, trigger: 'cli' });
    expect(ok.run.finished_at).not.toBeNull();
    const bad = await runJob(deps, {
      job: 'abort-stale-uploads',
      fn: () => Promise.reject(new Error('storage down')),
      trigger: 'cli',
      holder: 'test-a',
    });
    expect(bad.state === 'ran' && bad.run).toMatchObject({
      outcome: 'failed',
      error: 'storage down',
    });
  });

  it('answers busy while another holder has the lease, and takes over an expired lease', async () => {
    expect(
      await acquireLease(deps.db, { job: 'abort-stale-uploads', holder: 'other', ttlMs: 60_000 }),
    ).toBe(true);
    const job = recordingJob(1);
    const busy = await runJob(deps, {
      job: 'abort-stale-uploads',
      fn: job.fn,
      trigger: 'cli',
      holder: 'me',
    });
    expect(busy).toEqual({ state: 'busy' });
    expect(job.spans).toHaveLength(0);
    await releaseLease(deps.db, { job: 'abort-stale-uploads', holder: 'other' });
    // A holder that crashed: its short lease runs out and the next one may start.
    expect(
      await acquireLease(deps.db, { job: 'abort-stale-uploads', holder: 'crashed', ttlMs: 50 }),
    ).toBe(true);
    await sleep(120);
    const after = await runJob(deps, {
      job: 'abort-stale-uploads',
      fn: job.fn,
      trigger: 'cli',
      holder: 'me',
    });
    expect(after.state).toBe('ran');
  });

  it('jobs.run runs abort-stale-uploads for an admin and jobs.runs lists it; others are refused', async () => {
    const org = await h.seedOrg(`jobs-${kind}`);
    const admin = h.caller((await h.sessionFor(org.users.admin)).session);
    const out = await admin.jobs.run({ job: 'abort-stale-uploads' });
    expect(out).toMatchObject({
      state: 'ran',
      run: { outcome: 'succeeded', trigger: 'manual', orgId: org.orgId },
    });
    const runs = await admin.jobs.runs({ job: 'abort-stale-uploads' });
    expect(runs[0]?.id).toBe(out.state === 'ran' ? out.run.id : '');
    const office = h.caller((await h.sessionFor(org.users.office)).session);
    await expect(office.jobs.run({ job: 'abort-stale-uploads' })).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
  });
});

describe('two replicas on postgres', () => {
  let h: Harness;
  let second: Awaited<ReturnType<typeof openDatabase>>;
  beforeAll(async () => {
    h = await createHarness('postgres');
    second = await openDatabase({ url: h.test.url ?? '', poolMax: 10 });
  });
  afterAll(async () => {
    await second.close();
    await h.destroy();
  });

  it('20 simultaneous runs of one job from two connection pools: never two at once', async () => {
    const job = recordingJob(30);
    const replicas: JobDeps[] = [h.deps, { ...h.deps, db: second.db }];
    const outcomes = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        runJob(replicas[i % 2] as JobDeps, {
          job: 'abort-stale-uploads',
          fn: job.fn,
          trigger: 'schedule',
          holder: `replica-${i}`,
        }),
      ),
    );
    const ran = outcomes.filter((o) => o.state === 'ran').length;
    expect(ran).toBeGreaterThanOrEqual(1);
    expect(ran + outcomes.filter((o) => o.state === 'busy').length).toBe(20);
    expect(job.maxActive()).toBe(1);
  });

  it('two schedulers firing every second for 4 s never run the job concurrently', async () => {
    const job = recordingJob(1500);
    const cron = { 'abort-stale-uploads': '* * * * * *' };
    const a = startScheduler(h.deps, { registry: registryOf(job.fn), cron, ttlMs: 5_000 });
    const b = startScheduler(
      { ...h.deps, db: second.db },
      { registry: registryOf(job.fn), cron, ttlMs: 5_000 },
    );
    await sleep(4_000);
    await Promise.all([a.stop(), b.stop()]);
    expect(job.spans.length).toBeGreaterThanOrEqual(2);
    expect(job.maxActive()).toBe(1);
    const sorted = [...job.spans].sort((x, y) => x.start - y.start);
    for (let i = 1; i < sorted.length; i++)
      expect(sorted[i]?.start ?? 0).toBeGreaterThanOrEqual(sorted[i - 1]?.end ?? 0);
    const holders = await h.test.db
      .selectFrom('job_runs')
      .select('holder')
      .where('holder', 'in', [a.holder, b.holder])
      .execute();
    expect(holders.length).toBe(job.spans.length);
  });
});
