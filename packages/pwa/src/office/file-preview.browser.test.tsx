// A preview loaded once is shown again offline from the page's cache, without asking for a new signed URL.
import { expect, test, vi } from 'vitest';
import { render } from 'vitest-browser-react';
import { FilePreview } from './file-preview';
import { file } from './office-test-data';
import { contextFor, fakeApi } from './office-test-kit';

/** A 1×1 PNG, so the preview really renders. */
const PNG = Uint8Array.from(
  atob(
    'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  ),
  (c) => c.charCodeAt(0),
);

test('online the preview is fetched once; offline it comes from the cache, and an unseen file says why not', async () => {
  const url = URL.createObjectURL(new Blob([PNG], { type: 'image/png' }));
  const downloadUrl = vi.fn(() =>
    Promise.resolve({
      url,
      method: 'GET' as const,
      headers: {},
      expiresAt: '2026-11-23T14:08:00.000Z',
      disposition: 'inline' as const,
      filename: 'r1.png',
    }),
  );
  const ctx = contextFor('office', fakeApi({ downloadUrl }));
  const seen = { ...file(1), contentType: 'image/png', originalFilename: 'r1.png' };
  const first = await render(<FilePreview deps={ctx} file={seen} online />);
  await expect.element(first.getByRole('img', { name: 'Preview of r1.png' })).toBeVisible();
  await first.unmount();

  const again = await render(<FilePreview deps={ctx} file={seen} online={false} />);
  await expect.element(again.getByRole('img', { name: 'Preview of r1.png' })).toBeVisible();
  expect(downloadUrl).toHaveBeenCalledTimes(1);
  await again.unmount();

  const unseen = await render(
    <FilePreview deps={ctx} file={{ ...file(2), contentType: 'image/png' }} online={false} />,
  );
  await expect
    .element(unseen.getByText(/Offline: this preview was not loaded before/))
    .toBeVisible();
});
