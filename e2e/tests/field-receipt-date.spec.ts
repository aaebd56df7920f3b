// The receipt date: entered on the capture form (today by default), uploaded with the capture, stored by the server, shown on the office file detail.
import { expect, test } from '@playwright/test';
import { captureFiles, fakeJpeg, outboxRows } from '../support/field';
import { signIn } from '../support/sign-in';

interface ListedFile {
  id: string;
  objectId: string;
  status: string;
  receiptDate?: string | null;
}

test('a receipt date typed on the capture form reaches the server and the office file detail', async ({
  page,
}) => {
  const objectId = `e2e-receipt-date-${Date.now()}`;
  await signIn(page);
  const date = page.getByLabel('Receipt date (optional)');
  // Today on the device's calendar is the default.
  const today = await page.evaluate(() => {
    const now = new Date();
    const pad = (n: number) => String(n).padStart(2, '0');
    return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
  });
  await expect(date).toHaveValue(today);
  await date.fill('2026-11-20');
  await captureFiles(page, objectId, [
    { name: 'dated.jpg', mimeType: 'image/jpeg', buffer: fakeJpeg() },
  ]);
  const rows = await outboxRows<{ filename: string; meta?: { receiptDate?: string } }>(
    page,
    'captures',
  );
  expect(rows.find((r) => r.filename === 'dated.jpg')?.meta?.receiptDate).toBe('2026-11-20');

  let file: ListedFile | undefined;
  await expect
    .poll(
      async () => {
        const res = await page.request.get('/trpc/files.list', {
          headers: { 'x-fieldvault-csrf': '1' },
        });
        const body = (await res.json()) as { result: { data: { items: ListedFile[] } } };
        file = body.result.data.items.find((f) => f.objectId === objectId);
        return file?.status;
      },
      { timeout: 20_000 },
    )
    .toBe('verified');
  expect(file?.receiptDate).toBe('2026-11-20');

  await page.goto(`/files/${file?.id ?? ''}`);
  await expect(page.getByTestId('fact-receipt-date')).toHaveText('2026-11-20');
});
