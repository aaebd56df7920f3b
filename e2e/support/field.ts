// Field-app helpers for e2e specs: test receipts, the server's files for an object id, raw IndexedDB reads.
import { randomBytes } from 'node:crypto';
import { expect, type Page } from '@playwright/test';

/** A small valid-looking JPEG: SOI + APP0 header, random body, EOI (passes the shared content sniffing). */
export function fakeJpeg(bodyBytes = 2048): Buffer {
  const header = Buffer.from([
    0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01,
  ]);
  return Buffer.concat([header, randomBytes(bodyBytes), Buffer.from([0xff, 0xd9])]);
}

/** A file as the server lists it. */
export interface ServerFile {
  objectId: string;
  sha256: string;
  status: string;
}

/** `files.list` with the page's session cookie, filtered to one object id. */
export async function serverFiles(page: Page, objectId: string): Promise<ServerFile[]> {
  const res = await page.request.get('/trpc/files.list', { headers: { 'x-fieldvault-csrf': '1' } });
  expect(res.status()).toBe(200);
  const body = (await res.json()) as { result: { data: { items: ServerFile[] } } };
  return body.result.data.items.filter((f) => f.objectId === objectId);
}

/** Every row of one outbox store, read with raw IndexedDB (no app code involved). */
export async function outboxRows<T>(
  page: Page,
  store: 'captures' | 'blobs' | 'uploads' | 'events' | 'thumbnails',
): Promise<T[]> {
  return page.evaluate(
    (name) =>
      new Promise<T[]>((resolve, reject) => {
        const open = indexedDB.open('fieldvault-outbox');
        open.onerror = () => reject(new Error(String(open.error)));
        open.onsuccess = () => {
          const db = open.result;
          if (!db.objectStoreNames.contains(name)) {
            db.close();
            resolve([]);
            return;
          }
          const all = db.transaction(name).objectStore(name).getAll();
          all.onerror = () => reject(new Error(String(all.error)));
          all.onsuccess = () => {
            db.close();
            resolve(all.result as T[]);
          };
        };
      }),
    store,
  );
}

/** Opens a main-navigation section by its link. */
export async function openSection(page: Page, name: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name }).click();
  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
}

/** Fills the capture form with `files` for `objectId` and saves; waits for every file's outcome. */
export async function captureFiles(
  page: Page,
  objectId: string,
  files: Array<{ name: string; mimeType: string; buffer: Buffer }>,
): Promise<void> {
  await page.getByLabel('Photos or PDFs').setInputFiles(files);
  await page.getByLabel('Object id').fill(objectId);
  await page.getByRole('button', { name: 'Save' }).click();
  const results = page.getByRole('list', { name: 'Save results' });
  await expect(results.getByRole('listitem')).toHaveCount(files.length);
}
