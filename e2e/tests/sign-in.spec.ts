// Sign-in: a wrong password is refused in words; once signed in, the cached user opens the app offline.
import { expect, test } from '@playwright/test';
import { E2E_ADMIN } from '../support/server-env';
import { waitForServiceWorkerControl } from '../support/service-worker';

test('a wrong password is refused in words, the right one signs in, and the session survives an offline reload', async ({
  context,
  page,
}) => {
  await page.goto('/capture');
  await page.getByLabel('Email').fill(E2E_ADMIN.email);
  await page.getByLabel('Password').fill('not-the-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert')).toHaveText('Email or password is not right.');
  await expect(page.getByRole('navigation', { name: 'Main' })).toHaveCount(0);

  await page.getByLabel('Password').fill(E2E_ADMIN.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Capture' })).toBeVisible();
  await waitForServiceWorkerControl(page);

  await context.setOffline(true);
  await page.reload();
  await expect(page.getByRole('heading', { level: 1, name: 'Capture' })).toBeVisible();
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
  await context.setOffline(false);
});
