// Download checks the bytes against the SHA-256 on record before saving them under the original filename.
import { expect, test, vi } from 'vitest';
import { startDownload } from './file-actions';
import { file } from './office-test-data';
import { fakeApi } from './office-test-kit';

async function sha256Hex(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}

function apiServing(bytes: Uint8Array<ArrayBuffer>) {
  const url = URL.createObjectURL(new Blob([bytes]));
  return fakeApi({
    downloadUrl: vi.fn(() =>
      Promise.resolve({
        url,
        method: 'GET' as const,
        headers: {},
        expiresAt: '2026-11-23T14:08:00.000Z',
        disposition: 'attachment' as const,
        filename: 'Taxi Oslo.jpg',
      }),
    ),
  });
}

test('matching bytes are saved under the original filename', async () => {
  const bytes = new TextEncoder().encode('the captured receipt');
  const record = { ...file(1), sha256: await sha256Hex(bytes) };
  const clicked: string[] = [];
  const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (
    this: HTMLAnchorElement,
  ) {
    clicked.push(this.download);
  });
  await expect(startDownload(apiServing(bytes), record)).resolves.toBe(
    'Downloaded Taxi Oslo.jpg: its SHA-256 matches the record.',
  );
  expect(clicked).toEqual(['Taxi Oslo.jpg']);
  click.mockRestore();
});

test('bytes that do not hash to the record are refused and never saved', async () => {
  const record = { ...file(2), sha256: 'f'.repeat(64) };
  const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => {});
  await expect(startDownload(apiServing(new Uint8Array([1, 2, 3])), record)).rejects.toThrow(
    'The downloaded bytes do not match the SHA-256 on record; nothing was saved.',
  );
  expect(click).not.toHaveBeenCalled();
});
