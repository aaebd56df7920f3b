// The Capture screen in the built app: thumbnails, picked files surviving a reload, a full device refused cleanly, accessibility.
import { expect, test } from '@playwright/test';
import {
  captureFiles,
  expectAccessible,
  fakeJpeg,
  openSection,
  outboxRows,
  smallTouchTargets,
  solidPng,
} from '../support/field';
import { waitForServiceWorkerControl } from '../support/service-worker';
import { signIn } from '../support/sign-in';

test('an image gets a thumbnail at capture, shown in the Outbox and kept in IndexedDB; a PDF gets an icon', async ({
  page,
}) => {
  await signIn(page);
  await page.getByLabel('Photos or PDFs').setInputFiles([
    { name: 'site.png', mimeType: 'image/png', buffer: solidPng(1200, 600) },
    { name: 'bill.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.7\n%%EOF\n') },
  ]);
  const picked = page.getByTestId('picked-file');
  await expect(picked.filter({ hasText: 'site.png' }).getByTestId('thumbnail')).toBeVisible();
  await expect(picked.filter({ hasText: 'bill.pdf' }).getByTestId('thumbnail-icon')).toHaveText(
    'PDF',
  );
  await page.getByLabel('Object id').fill(`e2e-thumb-${Date.now()}`);
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByText('site.png: Saved on this device')).toBeVisible();

  const thumbs = await outboxRows<{ captureId: string; width: number; height: number }>(
    page,
    'thumbnails',
  );
  const captures = await outboxRows<{ captureId: string; filename: string }>(page, 'captures');
  const site = captures.find((c) => c.filename === 'site.png');
  expect(thumbs.filter((t) => t.captureId === site?.captureId)).toMatchObject([
    { width: 320, height: 160 },
  ]);
  await openSection(page, 'Outbox');
  const item = page.getByTestId('outbox-item').filter({ hasText: 'site.png' });
  await expect(item.getByTestId('thumbnail')).toBeVisible();
  expect(
    await item.getByTestId('thumbnail').evaluate((img: HTMLImageElement) => img.naturalWidth),
  ).toBe(320);
});

test('files picked but not yet saved survive a reload (the tab killed while the camera was open)', async ({
  page,
}) => {
  await signIn(page);
  await page
    .getByLabel('Photos or PDFs')
    .setInputFiles([{ name: 'before-kill.jpg', mimeType: 'image/jpeg', buffer: fakeJpeg() }]);
  await expect(page.getByTestId('picked-file')).toContainText('before-kill.jpg');
  await page.reload();
  await expect(page.getByTestId('picked-file')).toContainText('before-kill.jpg');
  await page.getByLabel('Object id').fill(`e2e-kill-${Date.now()}`);
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByText('before-kill.jpg: Saved on this device')).toBeVisible();
  expect(await outboxRows(page, 'drafts')).toEqual([]);
});

test('on a device nearly out of quota it warns, and a capture that cannot fit is refused in words, storing nothing', async ({
  page,
}) => {
  // Chromium's quota override (CDP Storage.overrideQuotaForOrigin) does not reach Playwright's browser
  // contexts, so the page sees a quota 10 % above what it already uses: above the 80 % warning, and too
  // small for a 400 kB photo. (A real QuotaExceededError from IndexedDB is covered by the outbox unit tests.)
  await page.addInitScript(() => {
    const real = navigator.storage.estimate.bind(navigator.storage);
    navigator.storage.estimate = async () => {
      const estimate = await real();
      return { ...estimate, quota: Math.ceil((estimate.usage ?? 0) * 1.1) + 1 };
    };
  });
  await signIn(page);
  await expect(page.getByTestId('storage-usage')).toContainText('nearly full');
  const before = {
    captures: await outboxRows(page, 'captures'),
    blobs: (await outboxRows(page, 'blobs')).length,
  };
  await page
    .getByLabel('Photos or PDFs')
    .setInputFiles([{ name: 'too-big.jpg', mimeType: 'image/jpeg', buffer: fakeJpeg(400_000) }]);
  await expect(page.getByRole('alert').filter({ hasText: 'Not kept:' })).toContainText(
    'free for FieldVault on this device',
  );
  await expect(page.getByTestId('picked-file')).toHaveCount(0);
  expect(await outboxRows(page, 'drafts')).toEqual([]);
  expect(await outboxRows(page, 'captures')).toEqual(before.captures);
  expect(await outboxRows(page, 'blobs')).toHaveLength(before.blobs);
});

test('Capture, Outbox (with a waiting item) and the discard dialog pass axe; every control is at least 44 px', async ({
  context,
  page,
}) => {
  await signIn(page);
  await expectAccessible(page, 'Capture');
  expect(await smallTouchTargets(page)).toEqual([]);
  await waitForServiceWorkerControl(page);
  await context.setOffline(true);
  await captureFiles(page, `e2e-a11y-${Date.now()}`, [
    { name: 'a11y.jpg', mimeType: 'image/jpeg', buffer: fakeJpeg() },
  ]);
  await openSection(page, 'Outbox');
  const item = page.getByTestId('outbox-item').filter({ hasText: 'a11y.jpg' });
  await expect(item.getByRole('button', { name: 'Pause' })).toBeVisible();
  await expectAccessible(page, 'Outbox');
  expect(await smallTouchTargets(page)).toEqual([]);
  await item.getByRole('button', { name: 'Discard' }).click();
  await expect(page.getByRole('dialog')).toBeVisible();
  await expectAccessible(page, 'Discard dialog');
  await page.keyboard.press('Escape');
  await expect(page.getByRole('dialog')).toHaveCount(0);
  await expect(item).toHaveCount(1);
  // Dark mode follows the system; its colours must keep their contrast too.
  await page.emulateMedia({ colorScheme: 'dark' });
  await expectAccessible(page, 'Outbox, dark');
  await openSection(page, 'Capture');
  await expectAccessible(page, 'Capture, dark');
});
