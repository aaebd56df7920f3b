// The integrity badges render the verdict in words, and a duplicate links to the original inside the app.
import { afterEach, expect, test } from 'vitest';
import { render } from 'vitest-browser-react';
import { IntegrityBadges } from './integrity-badges';
import { file } from './office-test-data';

const start = window.location.href;
afterEach(() => window.history.replaceState(null, '', start));

test('a verified duplicate shows the hash verdict and opens the original in-app', async () => {
  const original = file(1);
  const record = {
    ...file(2),
    verifiedAt: '2026-11-23T14:03:00.000Z',
    capturedAt: '2026-11-23T09:12:00.000Z',
    deviceLabel: 'Pixel 7 (Jane)',
    duplicateOf: original.id,
  };
  let popped = 0;
  window.addEventListener('popstate', () => (popped += 1));
  const screen = await render(<IntegrityBadges file={record} format={{ timeZone: 'UTC' }} />);

  await expect
    .element(screen.getByTestId('badge-verified'))
    .toHaveTextContent(
      "SHA-256 verified at 14:03 — matches the device hash captured 09:12 on device 'Pixel 7 (Jane)'",
    );
  await expect.element(screen.getByTestId('badge-verified')).toHaveAttribute('data-tone', 'ok');
  await screen.getByRole('link', { name: 'Open the original' }).click();
  expect(window.location.pathname).toBe(`/files/${original.id}`);
  expect(popped).toBe(1);
});

test('a mismatch is shown as danger and says the file is quarantined', async () => {
  const screen = await render(
    <IntegrityBadges file={{ ...file(3), status: 'mismatch' }} format={{ timeZone: 'UTC' }} />,
  );
  await expect.element(screen.getByTestId('badge-mismatch')).toHaveAttribute('data-tone', 'danger');
  await expect.element(screen.getByTestId('badge-mismatch')).toHaveTextContent(/quarantined/);
});
