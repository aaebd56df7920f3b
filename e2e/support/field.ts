// Field-app helpers for e2e specs: test receipts, the server's files, raw IndexedDB reads, accessibility checks.
import { randomBytes } from 'node:crypto';
import { crc32, deflateSync } from 'node:zlib';
import AxeBuilder from '@axe-core/playwright';
import { expect, type Page } from '@playwright/test';
import { readOutboxStores } from './outbox-db';

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
  store: 'captures' | 'blobs' | 'uploads' | 'events' | 'thumbnails' | 'drafts',
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

/**
 * Pauses every upload from the Outbox (the pause is stored on the device; page and service worker both honour it)
 * and waits until it is stored. Unlike `setOffline`, it holds captures back without flipping Chromium's network
 * emulation, whose offline-to-online switch can let a request slip past `context.route` (seen in sync-corrupt).
 */
export async function pauseAllUploads(page: Page): Promise<void> {
  await openSection(page, 'Outbox');
  await page.getByRole('button', { name: 'Pause all uploads' }).click();
  await expect(page.getByRole('button', { name: 'Resume all uploads' })).toBeVisible();
  await expect.poll(() => storedSyncPause(page)).toBe(true);
}

/** Resumes uploads from the Outbox after {@link pauseAllUploads}. */
export async function resumeAllUploads(page: Page): Promise<void> {
  await openSection(page, 'Outbox');
  await page.getByRole('button', { name: 'Resume all uploads' }).click();
  await expect(page.getByRole('button', { name: 'Pause all uploads' })).toBeVisible();
}

/** The stored global pause, read with raw IndexedDB (no app code); null before it was ever set. */
export async function storedSyncPause(page: Page): Promise<boolean | null> {
  type Settings = { settings: { key: string; paused: boolean } };
  const { settings } = await readOutboxStores<Settings>(page, ['settings']);
  return settings.find((row) => row.key === 'sync')?.paused ?? null;
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

/** A real, decodable PNG of one colour (so the app can make a thumbnail of it), built with Node's zlib. */
export function solidPng(width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8-bit RGB, no interlace
  const row = Buffer.concat([Buffer.from([0]), Buffer.alloc(width * 3, 0x5c)]);
  const pixels = deflateSync(Buffer.concat(Array.from({ length: height }, () => row)));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', pixels),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** Runs axe (WCAG 2.x A/AA, including 2.2's target size) and expects no serious or critical violation. */
export async function expectAccessible(page: Page, screen: string): Promise<void> {
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'])
    .analyze();
  const serious = results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect(serious, `axe on ${screen}`).toEqual([]);
}

/** Visible buttons and file-input labels smaller than 44 × 44 CSS px (the field app's touch-target floor). */
export async function smallTouchTargets(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll<HTMLElement>('main button, header button, .file-drop__button')]
      .filter((el) => el.offsetParent !== null)
      .filter((el) => {
        const box = el.getBoundingClientRect();
        return box.height < 44 || box.width < 44;
      })
      .map((el) => `${el.textContent?.trim() ?? ''} ${el.getBoundingClientRect().height}px`),
  );
}
