// Signs in through the app's sign-in screen (signed-out users see nothing else).
import { expect, type Page } from '@playwright/test';
import { E2E_ADMIN } from './server-env';

/** Opens `path`, signs in as the e2e admin, and waits for the signed-in view's heading. */
export async function signIn(page: Page, path = '/capture', heading = 'Capture'): Promise<void> {
  await page.goto(path);
  await expect(page.getByRole('heading', { level: 1, name: 'Sign in' })).toBeVisible();
  await page.getByLabel('Email').fill(E2E_ADMIN.email);
  await page.getByLabel('Password').fill(E2E_ADMIN.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { level: 1, name: heading })).toBeVisible();
}
