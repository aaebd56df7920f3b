// Storage in words: usage when there is room, an alert above 80 % of the quota, nothing when the browser cannot tell.
import { describe, expect, test } from 'vitest';
import { render } from 'vitest-browser-react';
import { StorageNotice } from './storage-notice';

describe('Storage notice', () => {
  test('says how much is used, and warns once the quota is nearly used up', async () => {
    const fine = await render(<StorageNotice usage={{ usage: 2e6, quota: 1e9 }} low={false} />);
    await expect
      .element(fine.getByTestId('storage-usage'))
      .toHaveTextContent('Storage on this device: 2.0 MB of 1.0 GB used.');
    expect(fine.getByRole('alert').elements()).toHaveLength(0);
    await fine.unmount();
    const low = await render(<StorageNotice usage={{ usage: 9e8, quota: 1e9 }} low={true} />);
    await expect
      .element(low.getByRole('alert'))
      .toHaveTextContent('nearly full (900 MB of 1.0 GB used)');
  });

  test('shows nothing without an estimate', async () => {
    const screen = await render(<StorageNotice usage={null} low={false} />);
    expect(screen.getByTestId('storage-usage').elements()).toHaveLength(0);
  });
});
