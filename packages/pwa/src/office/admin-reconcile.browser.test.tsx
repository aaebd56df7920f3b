// The Admin screen's last reconcile report: when it ran and its counts, a run under way, and none yet.
import { expect, test, vi } from 'vitest';
import { render } from 'vitest-browser-react';
import type { JobRun } from '@fieldvault/shared/schemas';
import { AdminReconcile } from './admin-reconcile';
import { formatDateTime } from './format';
import { contextFor, fakeApi } from './office-test-kit';

function run(over: Partial<JobRun>): JobRun {
  return {
    id: '0195f6a0-0000-7000-8000-00000000r001',
    job: 'reconcile',
    orgId: null,
    trigger: 'schedule',
    holder: 'h',
    startedAt: '2026-11-23T02:00:00.000Z',
    finishedAt: '2026-11-23T02:00:04.000Z',
    outcome: 'succeeded',
    counts: {
      missing: 2,
      orphan: 3,
      size_drift: 1,
      content_type_drift: 1,
      stale_pending: 0,
      stale_multipart: 4,
      objects: 1200,
      records: 1199,
      repairErrors: 0,
    },
    report: null,
    error: null,
    ...over,
  };
}

test('shows when the last reconcile ran and what it found: missing, orphans, mismatched', async () => {
  const last = run({});
  const jobRuns = vi.fn(() =>
    Promise.resolve([
      run({ id: '0195f6a0-0000-7000-8000-00000000r002', outcome: 'running', finishedAt: null }),
      last,
    ]),
  );
  const screen = await render(<AdminReconcile ctx={contextFor('admin', fakeApi({ jobRuns }))} />);
  await expect
    .element(screen.getByTestId('reconcile-summary'))
    .toHaveTextContent(
      `Ran ${formatDateTime(last.finishedAt ?? '')} (scheduled, all organisations): succeeded — 1,200 objects against 1,199 records.`,
    );
  await expect.element(screen.getByTestId('reconcile-missing')).toHaveTextContent('2');
  await expect.element(screen.getByTestId('reconcile-orphans')).toHaveTextContent('3');
  await expect.element(screen.getByTestId('reconcile-mismatched')).toHaveTextContent('2');
  await expect.element(screen.getByTestId('reconcile-stale')).toHaveTextContent('4');
  await expect.element(screen.getByRole('status')).toHaveTextContent('Running now, since');
  expect(jobRuns).toHaveBeenCalledWith({ job: 'reconcile', limit: 5 });
});

test('a failed run says so with its error; no run at all says reconcile has not run', async () => {
  const failed = vi.fn(() =>
    Promise.resolve([
      run({ outcome: 'failed', trigger: 'manual', orgId: 'x', error: 'bucket unreachable' }),
    ]),
  );
  const first = await render(
    <AdminReconcile ctx={contextFor('admin', fakeApi({ jobRuns: failed }))} />,
  );
  await expect
    .element(first.getByTestId('reconcile-summary'))
    .toHaveTextContent(/\(run by an admin, this organisation\): failed\. bucket unreachable$/);
  expect(first.getByTestId('reconcile-missing').elements()).toHaveLength(0);
  await first.unmount();

  const none = vi.fn(() => Promise.resolve([]));
  const empty = await render(
    <AdminReconcile ctx={contextFor('admin', fakeApi({ jobRuns: none }))} />,
  );
  await expect
    .element(empty.getByTestId('reconcile-none'))
    .toHaveTextContent('Reconcile has not run yet.');
});
