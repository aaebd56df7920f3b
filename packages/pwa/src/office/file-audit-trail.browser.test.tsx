// A file's audit trail: office staff see who did what (files.history), older pages on demand, offline says why not.
import { expect, test, vi } from 'vitest';
import { render } from 'vitest-browser-react';
import type { FileHistoryEntry, FileHistoryInput } from '@fieldvault/shared/schemas';
import { FileAuditTrail } from './file-audit-trail';
import { file } from './office-test-data';
import { contextFor, fakeApi } from './office-test-kit';

const OFFICE_USER = '0195f6a0-0000-7000-8000-0000000000cc';

function entry(seq: number, action: FileHistoryEntry['action']): FileHistoryEntry {
  return {
    id: `0195f6a0-0000-7000-a000-${String(seq).padStart(12, '0')}`,
    seq,
    at: '2026-11-23T14:03:00.000Z',
    deviceAt: null,
    action,
    actorId: OFFICE_USER,
    actorRole: 'office',
    deviceLabel: 'Desk PC',
    ip: '10.0.0.7',
    success: true,
    errorCode: null,
    details: action === 'FILE_DELETED' ? { reason: 'photographed twice' } : {},
  };
}

test('office staff see the trail with actor, role, IP and device, and load older events', async () => {
  const target = file(1);
  const fileHistory = vi.fn((input: FileHistoryInput) =>
    Promise.resolve(
      input.cursor === undefined
        ? { items: [entry(9, 'FILE_RESTORED'), entry(8, 'FILE_DELETED')], nextCursor: 'a1.OA' }
        : {
            items: [{ ...entry(3, 'UPLOAD_VERIFIED'), actorRole: 'field' as const }],
            nextCursor: null,
          },
    ),
  );
  const ctx = contextFor('office', fakeApi({ fileHistory }));
  const screen = await render(
    <FileAuditTrail ctx={ctx} fileId={target.id} revision="1:verified" online />,
  );

  const rows = screen.getByTestId('audit-row');
  await expect.element(rows.nth(1)).toHaveAttribute('data-action', 'FILE_DELETED');
  await expect.element(rows.nth(1)).toHaveTextContent('(office)');
  await expect.element(rows.nth(1)).toHaveTextContent('10.0.0.7');
  await expect.element(rows.nth(1)).toHaveTextContent('Desk PC');
  await expect.element(rows.nth(1)).toHaveTextContent('reason: photographed twice');
  expect(fileHistory).toHaveBeenCalledWith({ id: target.id, limit: 50 });
  expect(screen.getByText(/not shown to the/).elements()).toHaveLength(0);

  await screen.getByRole('button', { name: 'Show older events' }).click();
  await expect.element(rows.nth(2)).toHaveAttribute('data-action', 'UPLOAD_VERIFIED');
  expect(rows.elements()).toHaveLength(3);
  expect(fileHistory).toHaveBeenLastCalledWith({ id: target.id, limit: 50, cursor: 'a1.OA' });
  expect(screen.getByRole('button', { name: 'Show older events' }).elements()).toHaveLength(0);
});

test('offline, the trail says it needs the server and asks nothing', async () => {
  const fileHistory = vi.fn();
  const ctx = contextFor('office', fakeApi({ fileHistory }));
  const screen = await render(
    <FileAuditTrail ctx={ctx} fileId={file(2).id} revision="1:verified" online={false} />,
  );
  await expect
    .element(screen.getByText('Offline: the audit trail needs the server.'))
    .toBeVisible();
  expect(fileHistory).not.toHaveBeenCalled();
});
