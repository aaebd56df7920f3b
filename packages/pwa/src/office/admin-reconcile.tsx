// The Admin screen's last reconcile report: when it ran and what it found (missing objects, orphans, mismatches), from jobs.runs.
import { useCallback } from 'react';
import type { JobRun } from '@fieldvault/shared/schemas';
import { formatDateTime } from './format';
import type { OfficeContext } from './office-section';
import { useQuery } from './use-query';

/** How many runs to read: enough to find the last finished one behind a run still under way. */
const RUNS_READ = 5;

const count = (run: JobRun, key: string) => run.counts[key] ?? 0;

/** The findings of a reconcile run as labelled counts, in the order an admin acts on them. */
export function reconcileCounts(run: JobRun): { label: string; value: number; key: string }[] {
  return [
    {
      key: 'missing',
      label: 'Missing objects (a record without its bytes)',
      value: count(run, 'missing'),
    },
    {
      key: 'orphans',
      label: 'Orphan objects (bytes without a record)',
      value: count(run, 'orphan'),
    },
    {
      key: 'mismatched',
      label: 'Mismatched (size or content type differs)',
      value: count(run, 'size_drift') + count(run, 'content_type_drift'),
    },
    {
      key: 'stale',
      label: 'Stale uploads (pending records, open multipart uploads)',
      value: count(run, 'stale_pending') + count(run, 'stale_multipart'),
    },
  ];
}

/** "Ran 2026-11-23 14:03 (scheduled, all organisations): succeeded — 1,200 objects against 1,198 records." */
export function reconcileSummary(run: JobRun): string {
  const trigger =
    run.trigger === 'schedule'
      ? 'scheduled'
      : run.trigger === 'cli'
        ? 'from the CLI'
        : 'run by an admin';
  const scope = run.orgId === null ? 'all organisations' : 'this organisation';
  const checked =
    run.outcome === 'succeeded'
      ? ` — ${count(run, 'objects').toLocaleString('en-GB')} objects against ${count(run, 'records').toLocaleString('en-GB')} records`
      : '';
  return `Ran ${formatDateTime(run.finishedAt ?? run.startedAt)} (${trigger}, ${scope}): ${run.outcome}${checked}.`;
}

function RunBody({ run, running }: { run: JobRun | undefined; running: JobRun | undefined }) {
  return (
    <>
      {running ? (
        <p role="status">Running now, since {formatDateTime(running.startedAt)}.</p>
      ) : null}
      {run === undefined ? (
        <p data-testid="reconcile-none">Reconcile has not run yet.</p>
      ) : (
        <>
          <p
            data-testid="reconcile-summary"
            className={run.outcome === 'failed' ? 'office-error' : undefined}
          >
            {reconcileSummary(run)}
            {run.error ? ` ${run.error}` : ''}
          </p>
          {run.outcome === 'succeeded' ? (
            <dl className="file-facts">
              {reconcileCounts(run).map((c) => (
                <div key={c.key} style={{ display: 'contents' }}>
                  <dt>{c.label}</dt>
                  <dd data-testid={`reconcile-${c.key}`}>{c.value.toLocaleString('en-GB')}</dd>
                </div>
              ))}
            </dl>
          ) : null}
          {count(run, 'repairErrors') > 0 ? (
            <p className="office-error">{count(run, 'repairErrors')} repairs failed.</p>
          ) : null}
        </>
      )}
    </>
  );
}

/** The last finished reconcile run (and one under way, if any). */
export function AdminReconcile({ ctx }: { ctx: OfficeContext }) {
  const { api } = ctx;
  const { state } = useQuery(
    useCallback(() => api.jobRuns({ job: 'reconcile', limit: RUNS_READ }), [api]),
  );
  return (
    <section aria-labelledby="reconcile-title">
      <h2 id="reconcile-title">Last reconcile report</h2>
      <p>Reconcile compares every stored object with the file records.</p>
      {state.status === 'loading' ? <p>Loading…</p> : null}
      {state.status === 'error' ? <p className="office-error">{state.message}</p> : null}
      {state.status === 'ready' ? (
        <RunBody
          run={state.data.find((r) => r.outcome !== 'running')}
          running={state.data[0]?.outcome === 'running' ? state.data[0] : undefined}
        />
      ) : null}
    </section>
  );
}
