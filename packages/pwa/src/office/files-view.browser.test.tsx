// Files filters live in the URL: applying them changes the query string and the request, Back restores both.
import { afterEach, beforeEach, expect, test, vi } from 'vitest';
import { render } from 'vitest-browser-react';
import type { FilesListInput } from '@fieldvault/shared/schemas';
import { FilesView } from './files-view';
import { file } from './office-test-data';
import { contextFor, fakeApi, pageOf } from './office-test-kit';
import { useUrl } from './use-url';
import type { OfficeContext } from './office-section';
import './office.css';

function Harness({ ctx }: { ctx: OfficeContext }) {
  const { search } = useUrl();
  return <FilesView ctx={ctx} search={search} />;
}

let startUrl = '';
beforeEach(() => {
  startUrl = window.location.href;
});
afterEach(() => {
  window.history.replaceState(null, '', startUrl);
});

test('a shared link opens with its filters, applying new ones updates the URL, and Back restores the old view', async () => {
  window.history.pushState(null, '', '/files?object=trip-42&status=verified');
  const listFiles = vi.fn((input: FilesListInput) =>
    Promise.resolve(pageOf(input?.filters?.text === 'taxi' ? [file(2)] : [file(1), file(3)])),
  );
  const screen = await render(<Harness ctx={contextFor('office', fakeApi({ listFiles }))} />);

  await expect.element(screen.getByLabelText('Object id')).toHaveValue('trip-42');
  await expect.element(screen.getByLabelText('Status')).toHaveValue('verified');
  await expect.element(screen.getByTestId('files-count')).toHaveTextContent('2 files shown');
  expect(listFiles).toHaveBeenLastCalledWith({
    filters: { objectId: 'trip-42', status: 'verified' },
    limit: 50,
  });

  await screen.getByLabelText('Search').fill('taxi');
  await screen.getByRole('button', { name: 'Apply filters' }).click();
  expect(window.location.search).toBe('?q=taxi&object=trip-42&status=verified');
  await expect.element(screen.getByTestId('files-count')).toHaveTextContent('1 file shown');
  expect(listFiles).toHaveBeenLastCalledWith({
    filters: { text: 'taxi', objectId: 'trip-42', status: 'verified' },
    limit: 50,
  });

  window.history.back();
  await expect.element(screen.getByLabelText('Search')).toHaveValue('');
  await expect.element(screen.getByTestId('files-count')).toHaveTextContent('2 files shown');
  expect(window.location.search).toBe('?object=trip-42&status=verified');
});

test('Clear empties the URL; an invalid value from a hand-edited link is named and left out', async () => {
  window.history.pushState(null, '', '/files?object=has%20spaces&system=accounting');
  const listFiles = vi.fn(() => Promise.resolve(pageOf([file(1)])));
  const screen = await render(<Harness ctx={contextFor('office', fakeApi({ listFiles }))} />);

  await expect
    .element(screen.getByRole('alert'))
    .toHaveTextContent('Ignored, not valid: object id');
  expect(listFiles).toHaveBeenLastCalledWith({ filters: { system: 'accounting' }, limit: 50 });

  await screen.getByRole('button', { name: 'Clear' }).click();
  expect(window.location.pathname + window.location.search).toBe('/files');
  await expect.element(screen.getByLabelText('System')).toHaveValue('');
  await vi.waitFor(() => expect(listFiles).toHaveBeenLastCalledWith({ filters: {}, limit: 50 }));
});

test('offline, the list last seen for these filters is shown and says so', async () => {
  window.history.pushState(null, '', '/files?system=accounting');
  const ctx = contextFor('office', fakeApi({}));
  ctx.cache.saveList('?system=accounting', [file(7)], Date.now());
  const { OfficeError } = await import('./office-api');
  ctx.api.listFiles = vi.fn(() => Promise.reject(new OfficeError('offline', 'offline')));
  const screen = await render(<Harness ctx={ctx} />);

  await expect.element(screen.getByText(/Offline — showing this list as last seen/)).toBeVisible();
  await expect.element(screen.getByText('r7.jpg')).toBeVisible();
});

test('the sort control asks for the captured order and keeps it in the URL; Back restores the received order', async () => {
  window.history.pushState(null, '', '/files?object=trip-42');
  const listFiles = vi.fn(() => Promise.resolve(pageOf([file(1)])));
  const screen = await render(<Harness ctx={contextFor('office', fakeApi({ listFiles }))} />);
  await expect.element(screen.getByLabelText('Sort by')).toHaveValue('received');
  expect(listFiles).toHaveBeenLastCalledWith({ filters: { objectId: 'trip-42' }, limit: 50 });
  await expect.element(screen.getByTestId('file-row-times')).toHaveTextContent(/^Received /);

  await screen.getByLabelText('Sort by').selectOptions('captured');
  await screen.getByRole('button', { name: 'Apply filters' }).click();
  expect(window.location.search).toBe('?object=trip-42&sort=captured');
  await vi.waitFor(() =>
    expect(listFiles).toHaveBeenLastCalledWith({
      filters: { objectId: 'trip-42' },
      sort: 'captured',
      limit: 50,
    }),
  );
  await expect.element(screen.getByTestId('file-row-times')).toHaveTextContent(/^Captured /);

  window.history.back();
  await expect.element(screen.getByLabelText('Sort by')).toHaveValue('received');
  await vi.waitFor(() =>
    expect(listFiles).toHaveBeenLastCalledWith({ filters: { objectId: 'trip-42' }, limit: 50 }),
  );
});

test('shows how many files match the filters, "10,000+" past the cap, and nothing when the count fails', async () => {
  window.history.pushState(null, '', '/files?system=accounting');
  const countFiles = vi.fn(() => Promise.resolve({ count: 1234, capped: false }));
  const listFiles = vi.fn(() => Promise.resolve(pageOf([file(1)])));
  const screen = await render(
    <Harness ctx={contextFor('office', fakeApi({ listFiles, countFiles }))} />,
  );
  await expect.element(screen.getByTestId('files-total')).toHaveTextContent('1,234 files');
  expect(countFiles).toHaveBeenCalledWith({ filters: { system: 'accounting' } });

  countFiles.mockImplementation(() => Promise.resolve({ count: 10_000, capped: true }));
  await screen.getByLabelText('Object id').fill('trip-9');
  await screen.getByRole('button', { name: 'Apply filters' }).click();
  await expect.element(screen.getByTestId('files-total')).toHaveTextContent('10,000+ files');
  expect(countFiles).toHaveBeenLastCalledWith({
    filters: { system: 'accounting', objectId: 'trip-9' },
  });

  countFiles.mockImplementation(() => Promise.reject(new Error('offline')));
  await screen.getByRole('button', { name: 'Clear' }).click();
  await expect.element(screen.getByTestId('files-count')).toHaveTextContent('1 file shown');
  await vi.waitFor(() => expect(screen.getByTestId('files-total').elements()).toHaveLength(0));
});

test('scrolling far keeps only the pages near the view; scrolling back fetches a dropped page again by its cursor', async () => {
  window.history.pushState(null, '', '/files?system=accounting');
  const PAGES = 16;
  // Page p (cursor `p<p-1>`) holds rows 50p..50p+49, newest first.
  const listFiles = vi.fn((input: FilesListInput) => {
    const p = input?.cursor === undefined ? 0 : Number(input.cursor.slice(1)) + 1;
    const items = Array.from({ length: 50 }, (_, i) => file(100_000 - (p * 50 + i)));
    return Promise.resolve({ items, nextCursor: p < PAGES - 1 ? `p${p}` : null });
  });
  const screen = await render(<Harness ctx={contextFor('office', fakeApi({ listFiles }))} />);
  await expect.element(screen.getByTestId('files-count')).toHaveTextContent('50 files shown');
  const scroller = document.querySelector<HTMLElement>('.file-list');
  if (!scroller) throw new Error('no list');

  while (!/800 files shown/.test(screen.getByTestId('files-count').element().textContent ?? '')) {
    const before = listFiles.mock.calls.length;
    scroller.scrollTop = scroller.scrollHeight;
    await vi.waitFor(() => expect(listFiles.mock.calls.length).toBeGreaterThan(before));
  }
  // Every page's height stays (800 rows), but page 3 (rows 150–199) was dropped far above the view.
  const rowHeight = scroller.scrollHeight / 800;
  const calls = listFiles.mock.calls.length;
  scroller.scrollTop = Math.round(170 * rowHeight);
  await vi.waitFor(() =>
    expect(listFiles.mock.calls.slice(calls).map(([input]) => input?.cursor)).toContain('p2'),
  );
  await expect.element(screen.getByText(`r${100_000 - 170}.jpg`)).toBeVisible();
  expect(screen.getByTestId('files-count').element().textContent).toContain('800 files shown');
});
