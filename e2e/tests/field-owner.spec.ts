// Captures belong to the user who took them: another user's session on the same device leaves them queued, and says whose they are.
import { createHash } from 'node:crypto';
import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { adminApi } from '../support/admin-api';
import { captureFiles, fakeJpeg, outboxRows, openSection } from '../support/field';
import { createUsers, signInAs, type TestUser } from '../support/office-users';
import { waitForServiceWorkerControl } from '../support/service-worker';

interface ListedFile {
  objectId: string;
  sha256: string;
  status: string;
  uploadedBy: string;
}

/** The server's files of one object id, as the e2e admin sees them (not through the page's session). */
async function filesOf(api: APIRequestContext, objectId: string): Promise<ListedFile[]> {
  const res = await api.get('/trpc/files.list', { headers: { 'x-fieldvault-csrf': '1' } });
  expect(res.status()).toBe(200);
  const body = (await res.json()) as { result: { data: { items: ListedFile[] } } };
  return body.result.data.items.filter((f) => f.objectId === objectId);
}

async function signOut(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Sign in' })).toBeVisible();
}

test("another user's sign-in does not upload the first user's offline captures; hers does", async ({
  context,
  page,
}) => {
  // Two calls: one call names its users by role, so two field users need two stamps.
  const [jane] = (await createUsers(['field'])) as [TestUser];
  const [omar] = (await createUsers(['field'])) as [TestUser];
  const admin = await adminApi();
  const janeObject = `e2e-owner-jane-${Date.now()}`;
  const omarObject = `e2e-owner-omar-${Date.now()}`;
  const janeFiles = [fakeJpeg(), fakeJpeg()];
  const janeHashes = janeFiles.map((b) => createHash('sha256').update(b).digest('hex')).sort();

  // Jane captures two receipts offline, then signs out: they stay on the device.
  await signInAs(page, jane, '/capture', 'Capture');
  await waitForServiceWorkerControl(page);
  await context.setOffline(true);
  await captureFiles(
    page,
    janeObject,
    janeFiles.map((buffer, i) => ({ name: `jane-${i}.jpg`, mimeType: 'image/jpeg', buffer })),
  );
  await expect(page.getByTestId('pending-count')).toHaveText('2 waiting to upload');
  await signOut(page);
  const rows = await outboxRows<{ filename: string; owner?: { userId: string; email: string } }>(
    page,
    'captures',
  );
  expect(rows.filter((r) => r.filename.startsWith('jane-')).map((r) => r.owner)).toMatchObject([
    { userId: jane.id, email: jane.email },
    { userId: jane.id, email: jane.email },
  ]);

  // Omar signs in on the same device, online: his own capture uploads, Jane's stay queued.
  await context.setOffline(false);
  await signInAs(page, omar, '/capture', 'Capture');
  await captureFiles(page, omarObject, [
    { name: 'omar.jpg', mimeType: 'image/jpeg', buffer: fakeJpeg() },
  ]);
  await expect
    .poll(
      async () => (await filesOf(admin, omarObject)).map((f) => `${f.status}:${f.uploadedBy}`),
      {
        timeout: 20_000,
      },
    )
    .toEqual([`verified:${omar.id}`]);
  await openSection(page, 'Outbox');
  await expect(page.getByTestId('others-waiting')).toHaveText(
    `2 receipts wait for ${jane.email}; sign in as ${jane.email} to upload them.`,
  );
  await expect(page.getByTestId('pending-count')).toHaveText('0 waiting to upload');
  await page.getByRole('button', { name: 'Sync now' }).click();
  await expect(page.getByRole('button', { name: 'Sync now' })).toBeEnabled();
  expect(await filesOf(admin, janeObject)).toEqual([]);
  const queued = await outboxRows<{ filename: string; state: string }>(page, 'captures');
  expect(queued.filter((r) => r.filename.startsWith('jane-')).map((r) => r.state)).toEqual([
    'queued',
    'queued',
  ]);

  // Jane signs in again: her captures upload, under her account.
  await signOut(page);
  await signInAs(page, jane, '/capture', 'Capture');
  await expect
    .poll(
      async () =>
        (await filesOf(admin, janeObject))
          .filter((f) => f.status === 'verified' && f.uploadedBy === jane.id)
          .map((f) => f.sha256)
          .sort(),
      { timeout: 20_000 },
    )
    .toEqual(janeHashes);
  await admin.dispose();
});
