// Sign-in with a device name, and sign-out that keeps captures: they stay in IndexedDB and upload after the next sign-in.
import { createHash } from 'node:crypto';
import { expect, test } from '@playwright/test';
import { captureFiles, fakeJpeg, outboxRows, serverFiles } from '../support/field';
import { E2E_ADMIN } from '../support/server-env';
import { waitForServiceWorkerControl } from '../support/service-worker';

test('signing out keeps an offline capture on the device; it uploads verified after signing in again', async ({
  context,
  page,
}) => {
  const objectId = `e2e-signout-${Date.now()}`;
  const buffer = fakeJpeg();
  const sha256 = createHash('sha256').update(buffer).digest('hex');

  await page.goto('/capture');
  await page.getByLabel('Email').fill(E2E_ADMIN.email);
  await page.getByLabel('Password').fill(E2E_ADMIN.password);
  await page.getByLabel('Device name').fill('E2E field phone');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Capture' })).toBeVisible();
  const me = await page.request.get('/trpc/auth.me', { headers: { 'x-fieldvault-csrf': '1' } });
  expect(
    ((await me.json()) as { result: { data: { deviceLabel: string } } }).result.data,
  ).toMatchObject({ deviceLabel: 'E2E field phone' });

  await waitForServiceWorkerControl(page);
  await context.setOffline(true);
  await captureFiles(page, objectId, [{ name: 'kept.jpg', mimeType: 'image/jpeg', buffer }]);
  await expect(page.getByTestId('pending-count')).toHaveText('1 waiting to upload');

  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByTestId('sign-in-notice')).toHaveText(
    'You are signed out. 1 capture stays on this device and uploads after the next sign-in here.',
  );
  expect(
    (await outboxRows<{ filename: string; state: string }>(page, 'captures')).filter(
      (c) => c.filename === 'kept.jpg',
    ),
  ).toMatchObject([{ state: 'queued' }]);

  // Online but signed out: nothing uploads.
  await context.setOffline(false);
  await expect(page.getByLabel('Device name')).toHaveValue('E2E field phone');
  await page.getByLabel('Email').fill(E2E_ADMIN.email);
  await page.getByLabel('Password').fill(E2E_ADMIN.password);
  expect(await serverFiles(page, objectId)).toEqual([]);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect
    .poll(async () => (await serverFiles(page, objectId)).map((f) => `${f.status}:${f.sha256}`), {
      timeout: 20_000,
    })
    .toEqual([`verified:${sha256}`]);
});
