// The Outbox's Retry and Discard against the real server: a discarded capture never reaches it, a retried one does.
import { createHash } from 'node:crypto';
import { expect, test } from '@playwright/test';
import { captureFiles, fakeJpeg, openSection, outboxRows, serverFiles } from '../support/field';
import { waitForServiceWorkerControl } from '../support/service-worker';
import { signIn } from '../support/sign-in';

interface CaptureRow {
  captureId: string;
  filename: string;
}
interface EventRow {
  captureId: string;
  kind: string;
  pushed: 0 | 1;
}

test('Discard, after confirming, deletes the capture from IndexedDB and the server never gets it', async ({
  context,
  page,
}) => {
  const objectId = `e2e-discard-${Date.now()}`;
  await signIn(page);
  await waitForServiceWorkerControl(page);
  await context.setOffline(true);
  await captureFiles(page, objectId, [
    { name: 'discard-me.jpg', mimeType: 'image/jpeg', buffer: fakeJpeg() },
  ]);
  const [saved] = (await outboxRows<CaptureRow>(page, 'captures')).filter(
    (c) => c.filename === 'discard-me.jpg',
  );
  expect(saved).toBeDefined();
  const captureId = saved?.captureId ?? '';

  await openSection(page, 'Outbox');
  const item = page.getByTestId('outbox-item').filter({ hasText: 'discard-me.jpg' });
  await item.getByRole('button', { name: 'Discard' }).click();
  const dialog = page.getByRole('dialog', { name: 'Discard discard-me.jpg?' });
  await expect(dialog).toContainText(objectId);
  // Cancelling first keeps it.
  await dialog.getByRole('button', { name: 'Keep it' }).click();
  await expect(item).toHaveCount(1);
  await item.getByRole('button', { name: 'Discard' }).click();
  await dialog.getByRole('button', { name: 'Discard' }).click();
  await expect(item).toHaveCount(0);

  const ids = (rows: Array<{ captureId?: string; key?: string }>) =>
    rows.map((r) => r.captureId ?? r.key);
  expect(ids(await outboxRows(page, 'captures'))).not.toContain(captureId);
  expect(ids(await outboxRows(page, 'blobs'))).not.toContain(captureId);
  const events = (await outboxRows<EventRow>(page, 'events')).filter(
    (e) => e.captureId === captureId,
  );
  // Also sync_attempt rows from the offline attempts; exactly one DISCARDED.
  expect(events.filter((e) => e.kind === 'captured')).toHaveLength(1);
  expect(events.filter((e) => e.kind === 'discarded')).toHaveLength(1);

  // Back online: the engine runs and pushes the device events, but there is no capture left to upload.
  await context.setOffline(false);
  await page.getByRole('button', { name: 'Sync now' }).click();
  await expect
    .poll(
      async () =>
        (await outboxRows<EventRow>(page, 'events'))
          .filter((e) => e.captureId === captureId)
          .every((e) => e.pushed === 1),
      { timeout: 20_000 },
    )
    .toBe(true);
  expect(await serverFiles(page, objectId)).toEqual([]);
});

test('a capture storage refused needs attention with the reason in words; Retry then delivers it verified', async ({
  page,
}) => {
  const objectId = `e2e-retry-${Date.now()}`;
  const buffer = fakeJpeg();
  const sha256 = createHash('sha256').update(buffer).digest('hex');
  // Storage refuses the bytes (a 400 the engine cannot fix by itself: the item waits for the user).
  let refused = 0;
  await page.route(
    (url) => url.pathname.startsWith('/storage/'),
    async (route) => {
      if (route.request().method() !== 'PUT') return route.continue();
      refused++;
      return route.fulfill({ status: 400, body: '' });
    },
  );
  await signIn(page);
  await captureFiles(page, objectId, [{ name: 'retry-me.jpg', mimeType: 'image/jpeg', buffer }]);
  await openSection(page, 'Outbox');
  const item = page.getByTestId('outbox-item').filter({ hasText: 'retry-me.jpg' });
  await expect(item).toHaveAttribute('data-state', 'needs-attention', { timeout: 20_000 });
  await expect(item.getByTestId('item-error')).toContainText(
    'Storage refused the upload (HTTP 400)',
  );
  expect(refused).toBeGreaterThan(0);
  expect((await serverFiles(page, objectId)).filter((f) => f.status === 'verified')).toEqual([]);

  await page.unrouteAll({ behavior: 'wait' });
  await item.getByRole('button', { name: 'Retry' }).click();
  await expect(item).toHaveAttribute('data-state', 'done', { timeout: 20_000 });
  await expect
    .poll(async () => (await serverFiles(page, objectId)).map((f) => `${f.status}:${f.sha256}`))
    .toEqual([`verified:${sha256}`]);
  await expect(page.getByTestId('pending-count')).toHaveText('0 waiting to upload');
});

test('a paused capture stays on the device while others upload; Resume uploads it', async ({
  context,
  page,
}) => {
  const objectId = `e2e-pause-${Date.now()}`;
  const [paused, other] = [fakeJpeg(), fakeJpeg()];
  const hash = (b: Buffer) => createHash('sha256').update(b).digest('hex');
  await signIn(page);
  await waitForServiceWorkerControl(page);
  await context.setOffline(true);
  await captureFiles(page, objectId, [
    { name: 'paused.jpg', mimeType: 'image/jpeg', buffer: paused },
    { name: 'other.jpg', mimeType: 'image/jpeg', buffer: other },
  ]);
  await openSection(page, 'Outbox');
  const item = (name: string) => page.getByTestId('outbox-item').filter({ hasText: name });
  await item('paused.jpg').getByRole('button', { name: 'Pause' }).click();
  await expect(item('paused.jpg').getByTestId('item-state')).toHaveText(
    'Waiting to upload (paused)',
  );

  // Back online: the other capture uploads, so a sync run has happened; the paused one is left alone.
  await context.setOffline(false);
  await expect(item('other.jpg')).toHaveAttribute('data-state', 'done', { timeout: 20_000 });
  expect((await serverFiles(page, objectId)).map((f) => f.sha256)).toEqual([hash(other)]);
  await expect(item('paused.jpg')).toHaveAttribute('data-state', 'queued');

  await item('paused.jpg').getByRole('button', { name: 'Resume' }).click();
  await expect(item('paused.jpg')).toHaveAttribute('data-state', 'done', { timeout: 20_000 });
  expect((await serverFiles(page, objectId)).map((f) => `${f.status}:${f.sha256}`).sort()).toEqual(
    [`verified:${hash(other)}`, `verified:${hash(paused)}`].sort(),
  );
});
