// The Admin screen's operational panels: storage usage against the quota, health checks and job runs, failed uploads.
import { useCallback, type ReactNode } from 'react';
import type { AdminHealth, AdminUsage, FailedUpload } from '@fieldvault/shared/schemas';
import { formatBytes, formatDateTime } from './format';
import type { OfficeContext } from './office-section';
import { useQuery, type QueryState } from './use-query';

function Panel<T>({
  id,
  title,
  state,
  children,
}: {
  id: string;
  title: string;
  state: QueryState<T>;
  children: (data: T) => ReactNode;
}) {
  return (
    <section aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      {state.status === 'loading' ? <p>Loading…</p> : null}
      {state.status === 'error' ? <p className="office-error">{state.message}</p> : null}
      {state.status === 'ready' ? children(state.data) : null}
    </section>
  );
}

const QUOTA_TEXT = {
  none: 'No quota set',
  ok: 'Within quota',
  warning: 'Warning: over 80 % of the quota',
  critical: 'Critical: over 95 % of the quota',
} as const;

/** "2.4 GB of 10 GB (24 %) — Within quota" */
export function quotaText(usage: AdminUsage): string {
  const { quota, org } = usage;
  if (quota.bytes === null) return `${formatBytes(org.bytes)} stored — ${QUOTA_TEXT.none}`;
  const percent = Math.round((quota.usedRatio ?? 0) * 100);
  return `${formatBytes(org.bytes)} of ${formatBytes(quota.bytes)} (${percent} %) — ${QUOTA_TEXT[quota.level]}`;
}

function UsageBody({ usage }: { usage: AdminUsage }) {
  const growth = usage.growth.reduce((sum, day) => sum + day.bytes, 0);
  return (
    <>
      <p
        role={
          usage.quota.level === 'warning' || usage.quota.level === 'critical' ? 'alert' : undefined
        }
        data-testid="quota"
        data-level={usage.quota.level}
        className={
          usage.quota.level === 'ok' || usage.quota.level === 'none' ? undefined : 'office-error'
        }
      >
        {quotaText(usage)}
      </p>
      <p>
        {usage.org.count.toLocaleString('en-GB')} files; {formatBytes(growth)} received in the last{' '}
        {usage.growth.length} days.
      </p>
      <div className="office-table-wrap" tabIndex={0} role="region" aria-label="Usage by type">
        <table className="office-table">
          <thead>
            <tr>
              <th scope="col">System / type</th>
              <th scope="col">Files</th>
              <th scope="col">Size</th>
            </tr>
          </thead>
          <tbody>
            {usage.byType.map((row) => (
              <tr key={`${row.system}/${row.objectType}`}>
                <td>
                  {row.system}/{row.objectType}
                </td>
                <td>{row.count.toLocaleString('en-GB')}</td>
                <td>{formatBytes(row.bytes)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

function HealthBody({ health }: { health: AdminHealth }) {
  const line = (name: string, c: AdminHealth['database']) =>
    `${name}: ${c.ok ? 'OK' : `failing — ${c.error ?? 'no answer'}`} (${Math.round(c.ms)} ms)`;
  return (
    <>
      <p
        data-testid="health"
        data-ok={String(health.ok)}
        className={health.ok ? 'outcome--ok' : 'office-error'}
      >
        {health.ok ? 'Healthy' : 'Not healthy'} — checked {formatDateTime(health.checkedAt)}
      </p>
      <ul>
        <li>{line('Database', health.database)}</li>
        <li>{line('Storage', health.storage)}</li>
        <li>Audit write failures since start: {health.auditWriteFailures}</li>
        {health.jobs.map((job) => (
          <li key={job.job}>
            Job {job.job}: {job.outcome} at {formatDateTime(job.startedAt)}
            {job.error ? ` — ${job.error}` : ''}
          </li>
        ))}
      </ul>
    </>
  );
}

function FailedBody({ items }: { items: FailedUpload[] }) {
  if (items.length === 0) return <p>No failed uploads.</p>;
  return (
    <div className="office-table-wrap" tabIndex={0} role="region" aria-label="Failed uploads">
      <table className="office-table">
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">File</th>
            <th scope="col">What happened</th>
            <th scope="col">Device</th>
          </tr>
        </thead>
        <tbody>
          {items.map((f) => (
            <tr key={f.sessionId}>
              <td>{formatDateTime(f.at)}</td>
              <td>
                {f.filename} ({f.objectId}, {formatBytes(f.size)})
              </td>
              <td>
                {f.kind}: {f.reason}
              </td>
              <td>{f.deviceLabel ?? '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Usage, health and failed uploads, each loaded on its own so one slow answer does not hold the others. */
export function AdminOps({ ctx }: { ctx: OfficeContext }) {
  const { api } = ctx;
  const usage = useQuery(useCallback(() => api.usage(), [api]));
  const health = useQuery(useCallback(() => api.health(), [api]));
  const failed = useQuery(useCallback(() => api.failedUploads(), [api]));
  return (
    <>
      <Panel id="usage-title" title="Storage usage" state={usage.state}>
        {(data) => <UsageBody usage={data} />}
      </Panel>
      <Panel id="health-title" title="Health" state={health.state}>
        {(data) => <HealthBody health={data} />}
      </Panel>
      <Panel id="failed-title" title="Failed uploads" state={failed.state}>
        {(data) => <FailedBody items={data.items} />}
      </Panel>
    </>
  );
}
