// Offline: once visited, the app shell is served by the service worker with no network, and says it is offline.
import { expect, test } from '@playwright/test';
import { waitForServiceWorkerControl } from '../support/service-worker';
import { signIn } from '../support/sign-in';

test('with the network gone, a reload and a cold deep link are served by the service worker', async ({
  context,
  page,
}) => {
  await signIn(page);
  await waitForServiceWorkerControl(page);
  const status = page.getByTestId('online-status');
  await expect(status).toHaveText('Online');

  await context.setOffline(true);
  await expect(status).toHaveText('Offline');
  await expect(status).toHaveAttribute('data-state', 'offline');

  const reloaded = await page.reload();
  expect(reloaded?.status()).toBe(200);
  expect(reloaded?.fromServiceWorker()).toBe(true);
  await expect(page.getByRole('heading', { level: 1, name: 'Capture' })).toBeVisible();
  await expect(page.getByTestId('online-status')).toHaveText('Offline');

  // A new tab straight to a deep link: the navigation fallback answers with the precached index.html.
  const coldPage = await context.newPage();
  const cold = await coldPage.goto('/outbox');
  expect(cold?.fromServiceWorker()).toBe(true);
  await expect(coldPage.getByRole('heading', { level: 1, name: 'Outbox' })).toBeVisible();
  await expect(coldPage.getByTestId('online-status')).toHaveText('Offline');
  await coldPage.close();

  await context.setOffline(false);
  await expect(page.getByTestId('online-status')).toHaveText('Online');
});

test('API and storage requests are never answered from the service worker', async ({
  context,
  page,
}) => {
  await page.goto('/capture');
  await waitForServiceWorkerControl(page);

  // Online, the worker lets them through to the server.
  const online = await page.evaluate(async () => (await fetch('/healthz')).status);
  expect(online).toBe(200);

  await context.setOffline(true);
  const outcomes = await page.evaluate(async () => {
    const paths = ['/healthz', '/trpc/auth.me', '/storage/anything'];
    return Promise.all(
      paths.map((p) =>
        fetch(p).then(
          (res) => `${p}: HTTP ${res.status}`,
          () => `${p}: network error`,
        ),
      ),
    );
  });
  expect(outcomes).toEqual([
    '/healthz: network error',
    '/trpc/auth.me: network error',
    '/storage/anything: network error',
  ]);

  // A navigation to a server path is not swallowed by the app shell either.
  const apiTab = await context.newPage();
  await expect(apiTab.goto('/healthz')).rejects.toThrow(/ERR_INTERNET_DISCONNECTED/);
  await apiTab.close();
  await context.setOffline(false);
});
