// Capture offline, then sync: three receipts saved on the device with no network reach the server verified.
import { createHash, randomBytes } from 'node:crypto';
import { expect, test, type Page } from '@playwright/test';
import { waitForServiceWorkerControl } from '../support/service-worker';
import { signIn } from '../support/sign-in';

/** A small valid-looking JPEG: SOI + APP0 header, random body, EOI. */
function fakeJpeg(): Buffer {
  const header = Buffer.from([
    0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01,
  ]);
  return Buffer.concat([header, randomBytes(2048), Buffer.from([0xff, 0xd9])]);
}

interface ServerFile {
  objectId: string;
  sha256: string;
  status: string;
}

/** `files.list` with the page's session cookie (the request context shares the browser context's cookies). */
async function serverFiles(page: Page, objectId: string): Promise<ServerFile[]> {
  const res = await page.request.get('/trpc/files.list', { headers: { 'x-fieldvault-csrf': '1' } });
  expect(res.status()).toBe(200);
  const body = (await res.json()) as { result: { data: { items: ServerFile[] } } };
  return body.result.data.items.filter((f) => f.objectId === objectId);
}

/** Captures as raw IndexedDB holds them (no app code involved). */
async function localCaptures(page: Page): Promise<Array<{ filename: string; sha256: string }>> {
  return page.evaluate(
    () =>
      new Promise<Array<{ filename: string; sha256: string }>>((resolve, reject) => {
        const open = indexedDB.open('fieldvault-outbox');
        open.onerror = () => reject(new Error(String(open.error)));
        open.onsuccess = () => {
          const db = open.result;
          const all = db.transaction('captures').objectStore('captures').getAll();
          all.onerror = () => reject(new Error(String(all.error)));
          all.onsuccess = () => {
            db.close();
            resolve(
              (all.result as Array<{ filename: string; sha256: string }>).map(
                ({ filename, sha256 }) => ({ filename, sha256 }),
              ),
            );
          };
        };
      }),
  );
}

test('three receipts captured offline are kept on the device, then upload verified when the network returns', async ({
  context,
  page,
}) => {
  const objectId = `e2e-sync-${Date.now()}`;
  const files = [1, 2, 3].map((n) => ({
    name: `receipt-${n}.jpg`,
    mimeType: 'image/jpeg',
    buffer: fakeJpeg(),
  }));
  const expected = files
    .map((f) => ({ filename: f.name, sha256: createHash('sha256').update(f.buffer).digest('hex') }))
    .sort((a, b) => a.filename.localeCompare(b.filename));

  await signIn(page);
  await waitForServiceWorkerControl(page);
  await context.setOffline(true);
  await expect(page.getByTestId('online-status')).toHaveText('Offline');

  await page.getByLabel('Photos or PDFs').setInputFiles(files);
  await page.getByLabel('Object id').fill(objectId);
  await page.getByRole('button', { name: 'Save' }).click();
  const results = page.getByRole('list', { name: 'Save results' });
  await expect(results.getByText('Saved on this device')).toHaveCount(3);
  await expect(page.getByTestId('pending-count')).toHaveText('3 waiting to upload');

  const local = await localCaptures(page);
  expect(local.sort((a, b) => a.filename.localeCompare(b.filename))).toEqual(expected);
  expect(await serverFiles(page, objectId)).toEqual([]);

  await context.setOffline(false);
  await expect
    .poll(
      async () => (await serverFiles(page, objectId)).map((f) => `${f.status}:${f.sha256}`).sort(),
      {
        timeout: 20_000,
      },
    )
    .toEqual(expected.map((e) => `verified:${e.sha256}`).sort());

  await page
    .getByRole('navigation', { name: 'Main' })
    .getByRole('link', { name: 'Outbox' })
    .click();
  const items = page.getByTestId('outbox-item');
  await expect(items).toHaveCount(3);
  await expect(items.and(page.locator('[data-state="done"]'))).toHaveCount(3, { timeout: 20_000 });
  await expect(page.getByTestId('pending-count')).toHaveText('0 waiting to upload');
});
