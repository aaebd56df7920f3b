// The app shell, served by the real server: renders, navigates, and installs a service worker that precaches it.
import { expect, test } from '@playwright/test';
import { precachedUrls, waitForServiceWorkerControl } from '../support/service-worker';
import { signIn } from '../support/sign-in';

test('the shell loads from the server and its service worker takes control with the shell precached', async ({
  page,
  baseURL,
}) => {
  const problems: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(msg.text());
  });
  page.on('pageerror', (error) => problems.push(error.message));

  const response = await page.goto('/');
  expect(response?.status()).toBe(200);
  await expect(page).toHaveURL('/capture');
  // Signed out, the app shows only the sign-in screen.
  await expect(page.getByRole('heading', { level: 1, name: 'Sign in' })).toBeVisible();
  await expect(page.getByRole('navigation', { name: 'Main' })).toHaveCount(0);
  await expect(page.getByRole('banner')).toContainText('FieldVault');
  await expect(page.getByTestId('online-status')).toHaveText('Online');

  await waitForServiceWorkerControl(page);
  const scope = await page.evaluate(async () => (await navigator.serviceWorker.ready).scope);
  expect(scope).toBe(`${baseURL}/`);

  const entry = await page.locator('script[type="module"][src]').getAttribute('src');
  const stylesheet = await page.locator('link[rel="stylesheet"]').getAttribute('href');
  expect(entry).toMatch(/^\/assets\/index-[\w-]+\.js$/);
  const cached = await precachedUrls(page);
  // Files without a hash in their name are stored under a `__WB_REVISION__` key; hashed assets under their URL.
  const revisioned = (file: string) =>
    expect.stringMatching(new RegExp(`^${baseURL}/${file}\\?__WB_REVISION__=\\w+$`));
  expect(cached).toContainEqual(revisioned('index\\.html'));
  expect(cached).toContainEqual(revisioned('manifest\\.webmanifest'));
  expect(cached).toContain(`${baseURL}${entry}`);
  expect(cached).toContain(`${baseURL}${stylesheet}`);
  // Nothing from the API or storage is ever precached.
  expect(cached.filter((url) => /\/(trpc|storage|healthz)/.test(url))).toEqual([]);

  // The server's CSP forbids inline scripts and styles: a violation would show up as a console error.
  expect(problems).toEqual([]);
});

test('the web manifest makes the app installable: name, standalone display, icons that load', async ({
  request,
}) => {
  const manifest = (await (await request.get('/manifest.webmanifest')).json()) as {
    name: string;
    display: string;
    start_url: string;
    theme_color: string;
    icons: Array<{ src: string; sizes: string; purpose?: string }>;
  };
  expect(manifest).toMatchObject({ name: 'FieldVault', display: 'standalone', start_url: '/' });
  expect(manifest.theme_color).toMatch(/^#[0-9a-f]{6}$/i);
  expect(manifest.icons.map((icon) => icon.sizes)).toEqual(
    expect.arrayContaining(['192x192', '512x512']),
  );
  expect(manifest.icons.some((icon) => icon.purpose === 'maskable')).toBe(true);
  for (const icon of manifest.icons) {
    const res = await request.get(icon.src);
    expect(res.status(), icon.src).toBe(200);
    expect(res.headers()['content-type']).toBe('image/png');
    // PNG signature: the icons are real images, not the SPA fallback.
    expect([...(await res.body()).subarray(0, 4)]).toEqual([0x89, 0x50, 0x4e, 0x47]);
  }
});

test('navigation moves between sections without a page load, and deep links work', async ({
  page,
}) => {
  await signIn(page);
  const nav = page.getByRole('navigation', { name: 'Main' });
  await expect(nav.getByRole('link', { name: 'Capture' })).toHaveAttribute('aria-current', 'page');

  // A marker on window survives only if no document load happened.
  await page.evaluate(() => Object.assign(window, { __sameDocument: true }));
  for (const name of ['Outbox', 'Files', 'Admin']) {
    await nav.getByRole('link', { name }).click();
    await expect(page).toHaveURL(`/${name.toLowerCase()}`);
    const heading = page.getByRole('heading', { level: 1, name });
    await expect(heading).toBeVisible();
    await expect(heading).toBeFocused();
    await expect(nav.getByRole('link', { name })).toHaveAttribute('aria-current', 'page');
  }
  // The Admin screen's own content rendered (it had a 'Coming in a later release' placeholder until the
  // reconcile report shipped).
  await expect(
    page.getByRole('heading', { level: 2, name: 'Last reconcile report' }),
  ).toBeVisible();
  expect(await page.evaluate(() => (window as { __sameDocument?: boolean }).__sameDocument)).toBe(
    true,
  );

  await page.goBack();
  await expect(page.getByRole('heading', { level: 1, name: 'Files' })).toBeVisible();

  // Deep links are answered by the server's SPA fallback.
  await page.goto('/outbox');
  await expect(page.getByRole('heading', { level: 1, name: 'Outbox' })).toBeVisible();
  await page.goto('/no-such-page');
  await expect(page.getByRole('heading', { level: 1, name: 'Page not found' })).toBeVisible();
  await page.getByRole('link', { name: 'Go to Capture' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Capture' })).toBeVisible();
});
