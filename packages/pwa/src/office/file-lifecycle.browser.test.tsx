// A purged or missing file's page says what happened in words and offers only what the server allows.
import { expect, test, vi } from 'vitest';
import { render } from 'vitest-browser-react';
import type { FileHistoryEntry, FileRecord } from '@fieldvault/shared/schemas';
import { FileDetailView } from './file-detail-view';
import { FilesView } from './files-view';
import { formatDateTime } from './format';
import { file } from './office-test-data';
import { contextFor, fakeApi, pageOf } from './office-test-kit';

const AT = '2026-12-03T11:45:00.000Z';
const trailEvent = (part: Partial<FileHistoryEntry>): FileHistoryEntry => ({
  id: '0195f6a0-0000-7000-8000-0000000000e1',
  seq: 7,
  at: AT,
  deviceAt: null,
  action: 'FILE_PURGED',
  actorId: '0195f6a0-0000-7000-8000-0000000000bb',
  actorRole: 'admin',
  deviceLabel: null,
  ip: null,
  success: true,
  errorCode: null,
  details: {},
  ...part,
});

function detail(role: 'admin' | 'office', record: FileRecord, event: FileHistoryEntry) {
  const api = fakeApi({
    getFile: vi.fn(() => Promise.resolve(record)),
    fileHistory: vi.fn(() => Promise.resolve({ items: [event], nextCursor: null })),
    listUsers: vi.fn(() => Promise.resolve([])),
    legalHoldStatus: vi.fn(() =>
      Promise.resolve({ id: record.id, legalHold: false, retentionUntil: null, lastChange: null }),
    ),
  });
  return render(<FileDetailView ctx={contextFor(role, api)} fileId={record.id} />);
}

test('a purged file: when and by whom, the bytes gone, the record kept; no Download, Verify or Delete', async () => {
  const screen = await detail('admin', { ...file(3), status: 'purged' }, trailEvent({}));
  await expect
    .element(screen.getByTestId('file-lifecycle'))
    .toHaveTextContent(
      `Purged on ${formatDateTime(AT)} by User 0195f6a0… (admin) — the bytes are gone; this record and its audit trail stay.`,
    );
  await expect
    .element(screen.getByTestId('badge-purged'))
    .toHaveTextContent(/^Purged — the bytes are gone/);
  await expect.element(screen.getByText('No preview: the bytes were purged.')).toBeVisible();
  expect(
    screen.getByRole('button', { name: /Download|Verify now|Delete|Restore|Purge/ }).elements(),
  ).toHaveLength(0);
  await expect
    .element(screen.getByTestId('hold-purged'))
    .toHaveTextContent('a legal hold has nothing left to keep');
  expect(screen.getByRole('button', { name: /legal hold/i }).elements()).toHaveLength(0);
});

test('a missing file: since when, Verify now offered, Download disabled with the reason', async () => {
  const missingEvent = trailEvent({
    action: 'FILE_VERIFIED',
    success: false,
    errorCode: 'OBJECT_MISSING',
    details: { finding: 'missing' },
    actorRole: 'office',
  });
  const screen = await detail('office', { ...file(4), status: 'missing' }, missingEvent);
  await expect
    .element(screen.getByTestId('file-lifecycle'))
    .toHaveTextContent(
      `Missing from storage since ${formatDateTime(AT)} — the stored object was not found`,
    );
  await expect
    .element(screen.getByTestId('badge-missing'))
    .toHaveTextContent(/^Missing from storage — /);
  await expect.element(screen.getByRole('button', { name: 'Download' })).toBeDisabled();
  await expect
    .element(screen.getByTestId('download-note'))
    .toHaveTextContent('Download is not possible: the stored object is missing from storage.');
  await expect.element(screen.getByRole('button', { name: 'Verify now' })).toBeEnabled();
  expect(screen.getByRole('button', { name: /Delete|Purge/ }).elements()).toHaveLength(0);
});

test('the Files list names both states, and the status filter offers them', async () => {
  window.history.pushState(null, '', '/files?status=missing');
  const listFiles = vi.fn(() =>
    Promise.resolve(
      pageOf([
        { ...file(2), status: 'missing' },
        { ...file(1), status: 'purged' },
      ]),
    ),
  );
  const screen = await render(
    <FilesView ctx={contextFor('office', fakeApi({ listFiles }))} search="?status=missing" />,
  );
  const rows = screen.getByTestId('file-row');
  await expect.element(rows.nth(1)).toBeVisible();
  expect(rows.elements().map((row) => row.querySelector('.chip')?.textContent)).toEqual([
    'Missing from storage',
    'Purged',
  ]);
  await expect.element(screen.getByLabelText('Status')).toHaveValue('missing');
  expect(listFiles).toHaveBeenLastCalledWith({ filters: { status: 'missing' }, limit: 50 });
  const options = [...screen.getByLabelText('Status').element().querySelectorAll('option')];
  expect(options.map((o) => o.textContent)).toEqual(
    expect.arrayContaining(['Missing from storage', 'Purged (record only)']),
  );
  window.history.back();
});
