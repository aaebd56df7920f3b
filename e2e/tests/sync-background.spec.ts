// Background Sync both ways: without it the page's triggers deliver alone; with it the service worker delivers alone.
import { expect, test } from '@playwright/test';
import { dispatchSyncEvent, hideBackgroundSync } from '../support/background-sync';
import { recordRequests } from '../support/request-log';
import { BASE_URL } from '../support/server-env';
import { waitForServiceWorkerControl } from '../support/service-worker';
import { signIn } from '../support/sign-in';
import { captureFiles, fakeJpeg, readOutbox, serverDigest, sha256 } from '../support/sync';

test('without Background Sync, the page triggers alone upload every capture once', async ({
  context,
  page,
}) => {
  await hideBackgroundSync(context);
  const objectId = `e2e-nobgs-${Date.now()}`;
  const files = [1, 2, 3].map((n) => fakeJpeg(`nobgs-${n}.jpg`));
  await signIn(page);
  await waitForServiceWorkerControl(page);
  expect(await page.evaluate(async () => 'sync' in (await navigator.serviceWorker.ready))).toBe(
    false,
  );

  // Routes registered while offline could miss requests after the flip (e2e/README.md): log from here.
  const log = await recordRequests(context);
  await context.setOffline(true);
  await captureFiles(page, files, { objectId });
  expect((await readOutbox(page)).captures).toHaveLength(3);
  log.clear();
  await context.setOffline(false);

  const expected = files.map((f) => `verified:${sha256(f.buffer)}`).sort();
  await expect
    .poll(() => serverDigest(page.request, objectId), { timeout: 20_000 })
    .toEqual(expected);
  expect(log.puts()).toHaveLength(3);
  expect(log.entries.filter((e) => e.fromServiceWorker)).toEqual([]);
  await expect
    .poll(async () => (await readOutbox(page)).captures.map((c) => c.state))
    .toEqual(['done', 'done', 'done']);
});

test('a sync event fired by DevTools uploads a queued capture from the service worker with no page open', async ({
  context,
  page,
}) => {
  // Hidden from the page so the browser never fires `sync` by itself: the only `sync` is the one dispatched below.
  await hideBackgroundSync(context);
  const objectId = `e2e-swsync-${Date.now()}`;
  const file = fakeJpeg('sw-sync.jpg');
  await signIn(page);
  await waitForServiceWorkerControl(page);
  await context.setOffline(true);
  await captureFiles(page, [file], { objectId });
  const [queued] = (await readOutbox(page)).captures;
  expect(queued?.sha256).toBe(sha256(file.buffer));

  // No app page remains, so no page trigger (start, online, timer) can run; about:blank only carries CDP.
  await page.close();
  const blank = await context.newPage();
  await context.setOffline(false);
  const log = await recordRequests(context);
  await dispatchSyncEvent(context, blank, BASE_URL);

  await expect
    .poll(() => serverDigest(context.request, objectId), { timeout: 20_000 })
    .toEqual([`verified:${sha256(file.buffer)}`]);
  expect(log.puts()).toHaveLength(1);
  expect(log.entries.length).toBeGreaterThan(0);
  expect(log.entries.filter((e) => !e.fromServiceWorker)).toEqual([]);
  expect(context.pages().map((p) => p.url())).toEqual(['about:blank']);

  // The worker marked it done in the shared outbox, exactly as the page would have.
  const check = await context.newPage();
  await check.goto('/outbox');
  await expect
    .poll(async () => (await readOutbox(check)).captures.map((c) => c.state))
    .toEqual(['done']);
});
