// The server serves the shell so a new deploy is seen: sw.js and index.html must be revalidated on every load.
import { expect, test } from '@playwright/test';

for (const [label, path] of [
  ['the service worker script', '/sw.js'],
  ['index.html', '/index.html'],
  ['the root document', '/'],
  ['a deep link (SPA fallback)', '/outbox'],
] as const) {
  test(`${label} (${path}) is served with Cache-Control: no-cache`, async ({ request }) => {
    const res = await request.get(path, {
      headers: { accept: 'text/html,application/javascript,*/*' },
    });
    expect(res.status()).toBe(200);
    expect(res.headers()['cache-control']).toMatch(/\bno-cache\b/);
    if (path === '/sw.js') expect(res.headers()['content-type']).toMatch(/javascript/);
    else expect(res.headers()['content-type']).toMatch(/^text\/html/);
  });
}
