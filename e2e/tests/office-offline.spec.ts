// Offline office desk across a reload: the last list and an opened preview stay readable, server actions are disabled
// with a reason, and signing out forgets both (checked in IndexedDB and sessionStorage, not only on screen).
import { expect, test, type Page } from '@playwright/test';
import { captureFiles, serverFiles, solidPng } from '../support/field';
import { createUsers, signInAs, type TestUser } from '../support/office-users';
import { waitForServiceWorkerControl } from '../support/service-worker';

/** The preview store's entries (file ids), read with raw IndexedDB (no app code involved). */
async function storedPreviewIds(page: Page): Promise<string[]> {
  return page.evaluate(
    () =>
      new Promise<string[]>((resolve, reject) => {
        const open = indexedDB.open('fieldvault-office-previews');
        open.onerror = () => reject(new Error(String(open.error)));
        open.onsuccess = () => {
          const db = open.result;
          if (!db.objectStoreNames.contains('entries')) {
            db.close();
            resolve([]);
            return;
          }
          const keys = db.transaction('entries').objectStore('entries').getAllKeys();
          keys.onerror = () => reject(new Error(String(keys.error)));
          keys.onsuccess = () => {
            db.close();
            resolve(keys.result.map(String));
          };
        };
      }),
  );
}

const officeKeys = (page: Page) =>
  page.evaluate(() =>
    Object.keys(sessionStorage).filter((k) => k.startsWith('fieldvault-office-cache:')),
  );

let field: TestUser;
let office: TestUser;

test.beforeAll(async () => {
  [field, office] = (await createUsers(['field', 'office'])) as [TestUser, TestUser];
});

test('offline after a reload the office still reads the last list and an opened preview, cannot change anything, and sign-out forgets both', async ({
  browser,
}) => {
  test.setTimeout(90_000);
  const objectId = `e2e-office-offline-${Date.now()}`;
  const name = 'offline-receipt.png';

  const fieldPage = await (await browser.newContext()).newPage();
  await signInAs(fieldPage, field, '/capture', 'Capture');
  await captureFiles(fieldPage, objectId, [
    { name, mimeType: 'image/png', buffer: solidPng(24, 16) },
  ]);
  await expect
    .poll(async () => (await serverFiles(fieldPage, objectId)).map((f) => f.status), {
      timeout: 20_000,
    })
    .toEqual(['verified']);

  const context = await browser.newContext();
  const page = await context.newPage();
  await signInAs(page, office, `/files?object=${objectId}`, 'Files');
  const rows = page.getByTestId('file-row');
  await expect(rows.filter({ hasText: 'Verified' })).toHaveCount(1);
  await rows.filter({ hasText: name }).click();
  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
  const fileId = new URL(page.url()).pathname.split('/').pop() ?? '';
  const preview = page.getByRole('img', { name: `Preview of ${name}` });
  await expect(preview).toBeVisible();
  await expect.poll(() => storedPreviewIds(page)).toEqual([fileId]);
  await waitForServiceWorkerControl(page);

  await context.setOffline(true);
  await page.reload();
  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
  await expect(page.getByText(/Offline — showing this file as last seen at/)).toBeVisible();
  await expect(preview).toBeVisible();
  // The bytes really came back from IndexedDB: the browser decoded the 24×16 PNG.
  expect(await preview.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(24);
  await expect(
    page.getByText('Offline — downloading and changing files need the server.'),
  ).toBeVisible();
  for (const action of ['Download', 'Verify now', 'Delete'])
    await expect(page.getByRole('button', { name: action })).toBeDisabled();

  await page.getByRole('link', { name: '← Back to files' }).click();
  await expect(page.getByText(/Offline — showing this list as last seen at/)).toBeVisible();
  await expect(rows.filter({ hasText: name })).toHaveCount(1);
  await expect(
    page.getByRole('button', { name: 'Download these files as ZIP (needs the server)' }),
  ).toBeDisabled();

  // Reload offline on the list itself too: it is the list that was last seen, not a blank screen.
  await page.reload();
  await expect(rows.filter({ hasText: name })).toHaveCount(1);

  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Sign in' })).toBeVisible();
  await expect.poll(() => storedPreviewIds(page)).toEqual([]);
  expect(await officeKeys(page)).toEqual([]);
  await context.setOffline(false);
  await context.close();
});
