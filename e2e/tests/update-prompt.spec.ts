// A new deploy: the new service worker waits, the app offers "Reload", and accepting it switches to the new worker.
import { appendFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { E2E_PORT } from '../support/server-env';
import { startExtraServer, type ExtraServer } from '../support/extra-server';
import { waitForServiceWorkerControl } from '../support/service-worker';

let server: ExtraServer;

// Chromium fetches a registration's script outside Playwright's routing, so the deploy is simulated on a private
// server whose copy of the build the test may change.
test.beforeAll(async () => {
  server = await startExtraServer(E2E_PORT + 1);
});
test.afterAll(async () => {
  await server.stop();
});

test('a waiting service worker is offered as an update and takes over after Reload', async ({
  page,
}) => {
  await page.goto(`${server.baseURL}/capture`);
  await waitForServiceWorkerControl(page);
  await expect(page.getByRole('button', { name: 'Reload' })).toHaveCount(0);

  // Deploy: sw.js changes (a byte-different script is a new worker to the browser).
  appendFileSync(path.join(server.pwaDir, 'sw.js'), '\n// next deploy\n');
  await page.evaluate(() => Object.assign(window, { __beforeUpdate: true }));
  await page.evaluate(async () => {
    await (await navigator.serviceWorker.ready).update();
  });

  // The new worker installs and waits: the page keeps the old one until the user agrees.
  const prompt = page.getByRole('complementary', { name: 'Update available' });
  await expect(prompt).toContainText('A new version of FieldVault is ready.');
  expect(
    await page.evaluate(async () => (await navigator.serviceWorker.ready).waiting?.state),
  ).toBe('installed');

  await prompt.getByRole('button', { name: 'Reload' }).click();
  // The page reloads (the marker is gone) under the new worker, and nothing is left waiting.
  await page.waitForFunction(() => !(window as { __beforeUpdate?: boolean }).__beforeUpdate);
  await waitForServiceWorkerControl(page);
  // Signed out on this private server, the reloaded app shows its sign-in screen.
  await expect(page.getByRole('heading', { level: 1, name: 'Sign in' })).toBeVisible();
  await expect(prompt).toHaveCount(0);
  expect(await page.evaluate(async () => (await navigator.serviceWorker.ready).waiting)).toBeNull();
});
