// Issue 6 (7): two tabs (and the service worker) wake up together when the network returns; exactly one uploads.
// On the fs backend and on Ceph RGW.
import { expect, test } from '@playwright/test';
import { BACKENDS, onBackend, timeoutOn } from '../support/backends';
import { recordRequests } from '../support/request-log';
import { waitForServiceWorkerControl } from '../support/service-worker';
import { signIn } from '../support/sign-in';
import { captureFiles, fakeJpeg, readOutbox, serverDigest, sha256 } from '../support/sync';

for (const backend of BACKENDS) {
  test(`${backend}: two open tabs: one begin and one PUT per capture, four verified files`, async ({
    browser,
  }) => {
    test.setTimeout(timeoutOn(backend, 30_000));
    await onBackend(browser, backend, async ({ context, page }) => {
      const objectId = `e2e-tabs-${backend}-${Date.now()}`;
      const files = [1, 2, 3, 4].map((n) => fakeJpeg(`tab-${n}.jpg`));
      await signIn(page);
      await waitForServiceWorkerControl(page);
      const second = await context.newPage();
      await second.goto('/outbox');
      await expect(second.getByRole('heading', { level: 1, name: 'Outbox' })).toBeVisible();

      // Routes registered while offline could miss requests after the flip (e2e/README.md): log from here.
      const log = await recordRequests(context);
      await context.setOffline(true);
      await captureFiles(page, files, { objectId });
      const captureIds = (await readOutbox(second)).captures.map((c) => c.captureId).sort();
      expect(captureIds).toHaveLength(4);
      // From here on every tab's engine, and the worker's Background Sync, start at once (`online`, `sync`).
      log.clear();
      await context.setOffline(false);

      await expect
        .poll(() => serverDigest(page.request, objectId), { timeout: 20_000 })
        .toEqual(files.map((f) => `verified:${sha256(f.buffer)}`).sort());
      await expect
        .poll(async () => (await readOutbox(second)).captures.map((c) => c.state))
        .toEqual(['done', 'done', 'done', 'done']);
      expect([...log.beginsPerCapture()].sort()).toEqual(captureIds.map((id) => [id, 1]));
      const putPaths = log.puts().map((p) => new URL(p.url).pathname);
      expect(putPaths).toHaveLength(4);
      expect(new Set(putPaths).size).toBe(4);
    });
  });
}
