// Issue 6 (5): server and storage faults injected with context.route are retried; every receipt is stored exactly once.
// On the fs backend and on Ceph RGW.
import { expect, test, type BrowserContext, type Route } from '@playwright/test';
import { BACKENDS, onBackend, timeoutOn } from '../support/backends';
import { openSection, pauseAllUploads, resumeAllUploads } from '../support/field';
import { recordRequests } from '../support/request-log';
import { waitForServiceWorkerControl } from '../support/service-worker';
import { signIn } from '../support/sign-in';
import {
  captureFiles,
  fakeJpeg,
  isStoragePut,
  readOutbox,
  serverDigest,
  sha256,
  trpcProcedures,
  type TestFile,
} from '../support/sync';

/** Faults fired, by name; each must fire exactly once for the test to mean anything. */
type Fired = Map<string, number>;

/** The bytes the device uploads for a storage key (the key ends with `{captureId}-{filename}`). */
const bytesFor = (files: TestFile[], url: string) =>
  files.find((f) => decodeURIComponent(new URL(url).pathname).endsWith(`-${f.name}`))?.buffer;

/**
 * Injects, once each: a 500 on the first `uploads.begin`; a 503 + Retry-After on the first PUT of one receipt; a
 * timeout AFTER storage stored the first PUT of a second receipt (the answer is lost, the bytes are not); and a 500
 * after the server verified the first `uploads.complete` (again only the answer is lost). The last two are where a
 * careless client uploads or records twice.
 */
async function injectFaults(context: BrowserContext, files: TestFile[]): Promise<Fired> {
  const fired: Fired = new Map();
  const once = (name: string) => !fired.has(name) && (fired.set(name, 1), true);
  const putKeys: string[] = [];
  const handle = async (route: Route) => {
    const request = route.request();
    const procedures = trpcProcedures(request);
    if (procedures.includes('uploads.begin') && once('begin-500'))
      return route.fulfill({ status: 500, body: 'Internal Server Error' });
    if (procedures.includes('uploads.complete') && once('complete-answer-lost')) {
      await route.fetch();
      return route.fulfill({ status: 500, body: 'Internal Server Error' });
    }
    const key = new URL(request.url()).pathname;
    if (isStoragePut(request) && !putKeys.includes(key)) {
      putKeys.push(key);
      if (putKeys.length === 1 && once('put-503'))
        return route.fulfill({ status: 503, headers: { 'Retry-After': '1' }, body: 'Slow down' });
      if (putKeys.length === 2 && once('put-stored-then-timeout')) {
        const body = bytesFor(files, request.url());
        expect(body, `test bytes for ${request.url()}`).toBeDefined();
        await route.fetch({ postData: body });
        return route.abort('timedout');
      }
    }
    return route.fallback();
  };
  // tRPC on the app's origin; bytes to the fs backend's routes or to Ceph RGW (:7480).
  await context.route(
    (url) => /^\/(trpc|storage\/o)\//.test(url.pathname) || url.port === '7480',
    handle,
  );
  return fired;
}

for (const backend of BACKENDS) {
  test(`${backend}: 500s, a 503 with Retry-After and lost answers are retried: three receipts, three verified files`, async ({
    browser,
  }) => {
    test.setTimeout(timeoutOn(backend, 60_000));
    await onBackend(browser, backend, async ({ context, page }) => {
      const objectId = `e2e-faults-${backend}-${Date.now()}`;
      const files = [1, 2, 3].map((n) => fakeJpeg(`fault-${n}.jpg`));
      // Held back by the app's pause, not setOffline (see sync-corrupt: the online flip can slip past a route).
      await signIn(page);
      await waitForServiceWorkerControl(page);
      await pauseAllUploads(page);
      await openSection(page, 'Capture');
      await captureFiles(page, files, { objectId });
      const fired = await injectFaults(context, files);
      // Registered last, so it runs first and sees every request before a fault answers it.
      const log = await recordRequests(context);
      await resumeAllUploads(page);

      await expect
        .poll(() => serverDigest(page.request, objectId), { timeout: 45_000 })
        .toEqual(files.map((f) => `verified:${sha256(f.buffer)}`).sort());
      expect(Object.fromEntries(fired)).toEqual({
        'begin-500': 1,
        'put-503': 1,
        'put-stored-then-timeout': 1,
        'complete-answer-lost': 1,
      });
      // The 503'd receipt is PUT again; the one storage already held is not (listParts said so), nor is the third.
      const putsPerKey = new Map<string, number>();
      for (const put of log.puts()) {
        const key = new URL(put.url).pathname;
        putsPerKey.set(key, (putsPerKey.get(key) ?? 0) + 1);
      }
      expect([...putsPerKey.values()].sort()).toEqual([1, 1, 2]);
      // The server verified the lost-answer complete before the device knew: the device learns it on its next
      // retry, one backoff later (up to 2^(n-1) s after its n-th failure, more on a loaded machine).
      await expect
        .poll(async () => (await readOutbox(page)).captures.map((c) => c.state), {
          timeout: 45_000,
        })
        .toEqual(['done', 'done', 'done']);
      expect((await readOutbox(page)).blobKeys).toEqual([]);
    });
  });
}
