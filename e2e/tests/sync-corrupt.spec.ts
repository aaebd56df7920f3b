// Issue 6 (6): bytes corrupted in flight are refused by storage (signed Content-MD5); the device keeps its copy and
// the clean re-upload verifies. On the fs backend and on Ceph RGW. Captures are held back with the app's pause, not
// setOffline: the offline-to-online flip let the first PUT slip past the route about 1 run in 15.
import { expect, test, type BrowserContext, type Route } from '@playwright/test';
import { openSection, pauseAllUploads, resumeAllUploads } from '../support/field';
import { recordRequests } from '../support/request-log';
import { startS3App } from '../support/s3-app';
import { BASE_URL, E2E_PORT } from '../support/server-env';
import { waitForServiceWorkerControl } from '../support/service-worker';
import { signIn } from '../support/sign-in';
import {
  captureFiles,
  fakeJpeg,
  isStoragePut,
  readOutbox,
  serverDigest,
  sha256,
} from '../support/sync';

/** `bytes` with one bit flipped in the middle: same length, so only the digest can tell. */
function corrupt(bytes: Buffer): Buffer {
  const copy = Buffer.from(bytes);
  const middle = Math.floor(copy.length / 2);
  copy[middle] = (copy[middle] ?? 0) ^ 0x01;
  return copy;
}

/**
 * The first storage PUT goes out with corrupted bytes (its status is recorded); the second, the device's retry,
 * is held until `release()`, so the spec can look at the device between the refusal and the clean upload.
 */
async function corruptFirstPut(context: BrowserContext, original: Buffer) {
  let puts = 0;
  const state = { refusedWith: null as number | null, retryArrived: false };
  let release = () => {};
  const released = new Promise<void>((resolve) => (release = resolve));
  await context.route(
    (url) => url.pathname.startsWith('/storage/o/') || url.port === '7480',
    async (route: Route) => {
      if (!isStoragePut(route.request())) return route.fallback();
      puts++;
      if (puts === 1) {
        await route.continue({ postData: corrupt(original) });
        state.refusedWith = (await route.request().response())?.status() ?? -1;
        return;
      }
      if (puts === 2) {
        state.retryArrived = true;
        await released;
      }
      return route.continue();
    },
  );
  return { state, release };
}

for (const backend of ['fs', 's3'] as const) {
  test(`${backend}: bytes corrupted in flight are refused, the device keeps its copy, the clean retry verifies`, async ({
    browser,
  }) => {
    test.setTimeout(backend === 's3' ? 180_000 : 30_000);
    const app = backend === 's3' ? await startS3App(E2E_PORT + 2) : null;
    const context = await browser.newContext({ baseURL: app?.baseURL ?? BASE_URL });
    try {
      const page = await context.newPage();
      const file = fakeJpeg('corrupt-me.jpg', 64 * 1024);
      const objectId = `e2e-corrupt-${backend}-${Date.now()}`;
      const { state, release } = await corruptFirstPut(context, file.buffer);
      const log = await recordRequests(context);
      await signIn(page);
      await waitForServiceWorkerControl(page);
      await pauseAllUploads(page);
      await openSection(page, 'Capture');
      await captureFiles(page, [file], { objectId });
      expect(log.puts()).toEqual([]);
      await resumeAllUploads(page);

      await expect.poll(() => state.retryArrived, { timeout: 15_000 }).toBe(true);
      // The refusal's status reaches this process on its own event, maybe after the retry's route call.
      await expect.poll(() => state.refusedWith).toBe(400);
      const between = await readOutbox(page);
      const [capture] = between.captures;
      expect(capture?.state).not.toBe('done');
      expect(capture?.mismatchCount).toBe(1);
      expect(between.blobKeys).toEqual([capture?.blobKey]);
      expect(await serverDigest(context.request, objectId)).not.toContainEqual(
        expect.stringMatching(/^verified:/),
      );

      release();
      await expect
        .poll(() => serverDigest(context.request, objectId), { timeout: 15_000 })
        .toEqual([`verified:${sha256(file.buffer)}`]);
      expect(log.puts()).toHaveLength(2);
      await expect
        .poll(async () => (await readOutbox(page)).captures.map((c) => c.state))
        .toEqual(['done']);
    } finally {
      await context.close();
      await app?.stop();
    }
  });
}
