// File actions follow the server's roles: auditors get no mutating control, office staff confirm before deleting.
import { expect, test, vi } from 'vitest';
import { render } from 'vitest-browser-react';
import { FileActions } from './file-actions';
import { file } from './office-test-data';
import { contextFor, fakeApi } from './office-test-kit';

test('an auditor sees Download but no Delete, Restore or Purge', async () => {
  const ctx = contextFor('auditor', fakeApi({}));
  const screen = await render(<FileActions ctx={ctx} file={file(1)} online onChanged={() => {}} />);
  await expect.element(screen.getByRole('button', { name: 'Download' })).toBeEnabled();
  expect(screen.getByRole('button', { name: /Delete|Restore|Purge/ }).elements()).toHaveLength(0);
  await expect.element(screen.getByTestId('read-only-note')).toHaveTextContent('auditor');
});

test('office staff delete only after a confirmation that names the file and what happens', async () => {
  const target = file(4);
  const deleteFile = vi.fn(() => Promise.resolve({ ...target, status: 'deleted' as const }));
  const onChanged = vi.fn();
  const ctx = contextFor('office', fakeApi({ deleteFile }));
  const screen = await render(<FileActions ctx={ctx} file={target} online onChanged={onChanged} />);
  expect(screen.getByRole('button', { name: 'Purge' }).elements()).toHaveLength(0);

  await screen.getByRole('button', { name: 'Delete' }).click();
  await expect.element(screen.getByRole('heading', { name: 'Delete r4.jpg?' })).toHaveFocus();
  await expect.element(screen.getByText(/can\s+restore it/)).toBeVisible();
  expect(deleteFile).not.toHaveBeenCalled();
  await screen.getByLabelText(/Reason/).fill('blurry photo');
  await screen.getByRole('button', { name: 'Delete file' }).click();
  await expect.element(screen.getByRole('status')).toHaveTextContent('Deleted r4.jpg.');
  expect(deleteFile).toHaveBeenCalledWith({ id: target.id, reason: 'blurry photo' });
  expect(onChanged).toHaveBeenCalledWith(expect.objectContaining({ status: 'deleted' }));
});

test('offline, actions are disabled with the reason', async () => {
  const ctx = contextFor('admin', fakeApi({}));
  const screen = await render(
    <FileActions ctx={ctx} file={file(5)} online={false} onChanged={() => {}} />,
  );
  await expect
    .element(screen.getByText(/Offline — downloading and changing files need the server/))
    .toBeVisible();
  await expect.element(screen.getByRole('button', { name: 'Download' })).toBeDisabled();
  await expect.element(screen.getByRole('button', { name: 'Delete' })).toBeDisabled();
});

test('Verify now asks the server to re-hash and reports a mismatch in words', async () => {
  const target = file(6);
  const verifyFile = vi.fn(() =>
    Promise.resolve({
      state: 'mismatch' as const,
      file: { ...target, status: 'mismatch' as const },
      expectedSha256: 'a'.repeat(64),
      actualSha256: 'b'.repeat(64),
      actualSize: 10,
      checkedAt: '2026-11-23T14:03:00.000Z',
    }),
  );
  const onChanged = vi.fn();
  const ctx = contextFor('office', fakeApi({ verifyFile }));
  const screen = await render(<FileActions ctx={ctx} file={target} online onChanged={onChanged} />);
  await screen.getByRole('button', { name: 'Verify now' }).click();
  await expect
    .element(screen.getByRole('status'))
    .toHaveTextContent(
      "Mismatch: the stored bytes hash to bbbbbbbbbbbb…, not the device's aaaaaaaaaaaa….",
    );
  expect(verifyFile).toHaveBeenCalledWith(target.id);
  expect(onChanged).toHaveBeenCalledWith(expect.objectContaining({ status: 'mismatch' }));
});

test('Verify now reports an object gone from storage as missing, not as a mismatch', async () => {
  const target = file(8);
  const verifyFile = vi.fn(() =>
    Promise.resolve({
      state: 'missing' as const,
      file: { ...target, status: 'missing' as const },
      expectedSha256: 'a'.repeat(64),
      actualSha256: null,
      actualSize: null,
      checkedAt: '2026-11-23T14:03:00.000Z',
    }),
  );
  const onChanged = vi.fn();
  const ctx = contextFor('office', fakeApi({ verifyFile }));
  const screen = await render(<FileActions ctx={ctx} file={target} online onChanged={onChanged} />);
  await screen.getByRole('button', { name: 'Verify now' }).click();
  await expect
    .element(screen.getByRole('status'))
    .toHaveTextContent(/^Missing: the stored object was not found in storage/);
  expect(onChanged).toHaveBeenCalledWith(expect.objectContaining({ status: 'missing' }));
});

test('an auditor is not offered Verify now (the server keeps it to office and admin)', async () => {
  const ctx = contextFor('auditor', fakeApi({}));
  const screen = await render(<FileActions ctx={ctx} file={file(7)} online onChanged={() => {}} />);
  await expect.element(screen.getByRole('button', { name: 'Download' })).toBeVisible();
  expect(screen.getByRole('button', { name: 'Verify now' }).elements()).toHaveLength(0);
});
