// Each Files row says when the file was captured on the device and when the server received it, the sort's time first.
import { expect, test } from 'vitest';
import { render } from 'vitest-browser-react';
import { FileList } from './file-list';
import { formatDateTime } from './format';
import { windowOf } from './files-window';
import { file } from './office-test-data';

const noMore = { hasMore: false, loadMore: () => {} };

test('a row shows the received time first, then when it was captured on the device', async () => {
  const f = file(5);
  const screen = await render(
    <FileList list={windowOf({ items: [f], nextCursor: null })} {...noMore} />,
  );
  await expect
    .element(screen.getByTestId('file-row-times'))
    .toHaveTextContent(
      `Received ${formatDateTime(f.receivedAt)} · Captured ${formatDateTime(f.capturedAt)} on the device`,
    );
});

test('sorted by captured time, each row leads with the captured time', async () => {
  const items = [file(9), file(3)];
  const screen = await render(
    <FileList list={windowOf({ items, nextCursor: null })} sort="captured" {...noMore} />,
  );
  const times = screen.getByTestId('file-row-times');
  await expect.element(times.nth(0)).toBeVisible();
  expect(times.elements().map((el) => el.textContent)).toEqual(
    items.map(
      (f) =>
        `Captured ${formatDateTime(f.capturedAt)} on the device · Received ${formatDateTime(f.receivedAt)}`,
    ),
  );
});
