// The global pause is kept on the device: after a reload the Outbox says "Paused", nothing uploads (not even from the service worker's sync event), and Resume delivers.
import { expect, test } from '@playwright/test';
import { dispatchSyncEvent, hideBackgroundSync } from '../support/background-sync';
import { openSection, pauseAllUploads, storedSyncPause } from '../support/field';
import { recordRequests } from '../support/request-log';
import { BASE_URL } from '../support/server-env';
import { waitForServiceWorkerControl } from '../support/service-worker';
import { signIn } from '../support/sign-in';
import { captureFiles, fakeJpeg, readOutbox, serverDigest, sha256 } from '../support/sync';

test('a paused device stays paused after a reload and for a sync event; Resume uploads', async ({
  context,
  page,
}) => {
  // Only the sync event dispatched below may reach the worker.
  await hideBackgroundSync(context);
  const objectId = `e2e-pause-${Date.now()}`;
  const file = fakeJpeg('paused.jpg');
  await signIn(page);
  await waitForServiceWorkerControl(page);
  await pauseAllUploads(page);

  const log = await recordRequests(context);
  await openSection(page, 'Capture');
  await captureFiles(page, [file], { objectId });
  await page.reload();
  await openSection(page, 'Outbox');
  await expect(page.getByTestId('total-progress')).toHaveText(
    'Paused: 1 capture waits; nothing uploads until you resume.',
  );
  await expect(page.getByRole('button', { name: 'Resume all uploads' })).toBeVisible();

  // No app page left: only the worker could upload, and the stored pause stops it too.
  await page.close();
  const blank = await context.newPage();
  await dispatchSyncEvent(context, blank, BASE_URL);
  await blank.waitForTimeout(3_000);
  expect(log.puts()).toEqual([]);
  expect(log.entries.filter((e) => e.procedures.some((p) => p.startsWith('uploads.')))).toEqual([]);
  expect(await serverDigest(context.request, objectId)).toEqual([]);

  const outbox = await context.newPage();
  await outbox.goto('/outbox');
  expect((await readOutbox(outbox)).captures.map((c) => c.state)).toEqual(['queued']);
  await outbox.getByRole('button', { name: 'Resume all uploads' }).click();
  await expect
    .poll(() => serverDigest(context.request, objectId), { timeout: 20_000 })
    .toEqual([`verified:${sha256(file.buffer)}`]);
  expect(await storedSyncPause(outbox)).toBe(false);
});
