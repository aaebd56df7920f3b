// Legal hold on a file's page: admins place and release it with a recorded reason, auditors only read it, office sees nothing.
import { expect, test, vi } from 'vitest';
import { render } from 'vitest-browser-react';
import type { LegalHoldInput, LegalHoldStatus } from '@fieldvault/shared/schemas';
import { FileLegalHold } from './file-legal-hold';
import { formatDateTime } from './format';
import { file } from './office-test-data';
import { contextFor, fakeApi } from './office-test-kit';

const target = { ...file(1), retentionUntil: '2033-11-23T12:00:00.000Z' };
const ADMIN = { userId: '0195f6a0-0000-7000-8000-0000000000cc', name: 'Jane Admin' };
const free: LegalHoldStatus = {
  id: target.id,
  legalHold: false,
  retentionUntil: target.retentionUntil,
  lastChange: null,
};
const held: LegalHoldStatus = {
  ...free,
  legalHold: true,
  lastChange: { action: 'set', at: '2026-11-23T14:03:00.000Z', by: ADMIN, reason: 'case 42' },
};

test('an admin places a hold with a reason, sees who placed it and since when, beside "Locked until"', async () => {
  let status = free;
  const legalHoldStatus = vi.fn(() => Promise.resolve(status));
  const setLegalHold = vi.fn((input: LegalHoldInput) => {
    status = held;
    return Promise.resolve({ id: input.id, legalHold: input.hold, changed: true });
  });
  const ctx = contextFor('admin', fakeApi({ legalHoldStatus, setLegalHold }));
  const screen = await render(<FileLegalHold ctx={ctx} file={target} online />);

  await expect
    .element(screen.getByTestId('hold-retention'))
    .toHaveTextContent('Locked until 2033-11-23');
  await expect.element(screen.getByTestId('legal-hold')).toHaveTextContent('No legal hold');
  await screen.getByRole('button', { name: 'Place legal hold' }).click();
  await expect
    .element(
      screen.getByRole('heading', { name: `Place a legal hold on ${target.originalFilename}?` }),
    )
    .toHaveFocus();
  await screen.getByLabelText(/Reason/).fill('case 42');
  await screen.getByRole('button', { name: 'Place hold' }).click();

  expect(setLegalHold).toHaveBeenCalledWith({ id: target.id, hold: true, reason: 'case 42' });
  await expect
    .element(screen.getByTestId('legal-hold'))
    .toHaveTextContent(
      `Legal hold since ${formatDateTime('2026-11-23T14:03:00.000Z')} by Jane Admin — case 42`,
    );
  await expect.element(screen.getByRole('status')).toHaveTextContent('Legal hold placed.');
  await expect.element(screen.getByRole('button', { name: 'Release legal hold' })).toBeEnabled();
});

test('offline the admin still reads the hold but the button is disabled with the reason', async () => {
  const ctx = contextFor('admin', fakeApi({ legalHoldStatus: vi.fn(() => Promise.resolve(held)) }));
  const screen = await render(<FileLegalHold ctx={ctx} file={target} online={false} />);
  await expect.element(screen.getByRole('button', { name: 'Release legal hold' })).toBeDisabled();
  await expect
    .element(screen.getByText('Offline — changing a legal hold needs the server.'))
    .toBeVisible();
});

test('an auditor reads the hold and retention but is offered no change; office staff see no section', async () => {
  const legalHoldStatus = vi.fn(() => Promise.resolve(held));
  const auditor = await render(
    <FileLegalHold
      ctx={contextFor('auditor', fakeApi({ legalHoldStatus }))}
      file={target}
      online
    />,
  );
  await expect.element(auditor.getByTestId('legal-hold')).toHaveTextContent('Legal hold since');
  await expect
    .element(auditor.getByTestId('hold-retention'))
    .toHaveTextContent('Locked until 2033-11-23');
  await expect.element(auditor.getByTestId('hold-read-only')).toHaveTextContent('(auditor)');
  expect(auditor.getByRole('button').elements()).toHaveLength(0);
  await auditor.unmount();

  const officeStatus = vi.fn(() => Promise.resolve(held));
  const office = await render(
    <FileLegalHold
      ctx={contextFor('office', fakeApi({ legalHoldStatus: officeStatus }))}
      file={target}
      online
    />,
  );
  expect(office.getByRole('heading', { name: 'Legal hold and retention' }).elements()).toHaveLength(
    0,
  );
  expect(officeStatus).not.toHaveBeenCalled();
});
