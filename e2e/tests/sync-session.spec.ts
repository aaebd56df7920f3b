// Issue 6 (8): the session ends while the device is offline; captures stay, the app asks for sign-in, then uploads.
// On the fs backend and on Ceph RGW.
import { expect, test } from '@playwright/test';
import { adminApi } from '../support/admin-api';
import { BACKENDS, onBackend, timeoutOn } from '../support/backends';
import { waitForServiceWorkerControl } from '../support/service-worker';
import { E2E_ADMIN } from '../support/server-env';
import { signIn } from '../support/sign-in';
import { captureFiles, fakeJpeg, readOutbox, serverDigest, sha256 } from '../support/sync';

for (const backend of BACKENDS) {
  test(`${backend}: session gone while offline: captures kept, sign-in asked, uploaded after signing in again`, async ({
    browser,
  }) => {
    test.setTimeout(timeoutOn(backend, 30_000));
    await onBackend(browser, backend, async ({ context, page, baseURL }) => {
      const objectId = `e2e-session-${backend}-${Date.now()}`;
      const files = [1, 2].map((n) => fakeJpeg(`session-${n}.jpg`));
      const admin = await adminApi(baseURL);
      try {
        await signIn(page);
        await waitForServiceWorkerControl(page);
        await context.setOffline(true);
        await captureFiles(page, files, { objectId });
        // The session cookie is gone by the time the network returns: the server answers 401 to the device.
        await context.clearCookies();
        await context.setOffline(false);

        await page
          .getByRole('navigation', { name: 'Main' })
          .getByRole('link', { name: 'Outbox' })
          .click();
        await expect(page.getByRole('alert')).toContainText(/sign in/i, { timeout: 15_000 });
        // The alert can come from the app's own session check while both uploads are still in flight:
        // wait for the engine to put them back in the queue (never 'failed', never gone).
        await expect
          .poll(async () => (await readOutbox(page)).captures.map((c) => c.state))
          .toEqual(['queued', 'queued']);
        const kept = await readOutbox(page);
        expect(kept.captures.map((c) => c.sha256).sort()).toEqual(
          files.map((f) => sha256(f.buffer)).sort(),
        );
        expect(kept.blobKeys).toHaveLength(2);
        expect(await serverDigest(admin, objectId)).toEqual([]);

        await page.getByRole('button', { name: /sign in/i }).click();
        await page.getByLabel('Email').fill(E2E_ADMIN.email);
        await page.getByLabel('Password').fill(E2E_ADMIN.password);
        await page.getByRole('button', { name: 'Sign in' }).click();

        await expect
          .poll(() => serverDigest(admin, objectId), { timeout: 20_000 })
          .toEqual(files.map((f) => `verified:${sha256(f.buffer)}`).sort());
        await expect
          .poll(async () => (await readOutbox(page)).captures.map((c) => c.state))
          .toEqual(['done', 'done']);
      } finally {
        await admin.dispose();
      }
    });
  });
}
