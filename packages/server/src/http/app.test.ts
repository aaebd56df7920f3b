// The host over HTTP: health, request ids, security headers, PWA caching and SPA fallback.
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../test/harness.js';

let app: FastifyInstance;
let harness: Harness;

beforeAll(async () => {
  const pwaDir = await mkdtemp(path.join(os.tmpdir(), 'fv-pwa-'));
  await mkdir(path.join(pwaDir, 'assets'));
  await writeFile(path.join(pwaDir, 'index.html'), '<!doctype html><title>FieldVault</title>');
  await writeFile(path.join(pwaDir, 'sw.js'), 'self.addEventListener("fetch", () => {});');
  await writeFile(path.join(pwaDir, 'manifest.webmanifest'), '{}');
  await writeFile(path.join(pwaDir, 'assets', 'index-abc123.js'), 'console.log(1)');
  harness = await createHarness('pglite', {
    FIELDVAULT_PWA_DIR: pwaDir,
    FIELDVAULT_STORAGE: 's3',
    S3_ENDPOINT: 'https://fra1.digitaloceanspaces.com',
    S3_BUCKET: 'receipts',
    S3_ACCESS_KEY_ID: 'a',
    S3_SECRET_ACCESS_KEY: 'b',
  });
  app = await harness.http();
});
afterAll(async () => {
  await harness.destroy();
});

describe('host', () => {
  it('answers /healthz with a request id', async () => {
    const res = await app.inject({ url: '/healthz' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok' });
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('keeps a sane upstream request id', async () => {
    const res = await app.inject({ url: '/healthz', headers: { 'x-request-id': 'lb-42' } });
    expect(res.headers['x-request-id']).toBe('lb-42');
  });

  it('sends a CSP without inline scripts that allows the S3 endpoint', async () => {
    const res = await app.inject({ url: '/' });
    const csp = String(res.headers['content-security-policy']);
    // Scripts from our origin only; WebAssembly (the hash Worker) may compile, JS eval may not.
    expect(csp).toContain("script-src 'self' 'wasm-unsafe-eval'");
    expect(csp).not.toMatch(/'unsafe-eval'/);
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).toMatch(
      /connect-src 'self' https:\/\/fra1\.digitaloceanspaces\.com https:\/\/receipts\.fra1/,
    );
    expect(csp).toContain("frame-ancestors 'none'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });

  it('serves the shell and sw.js with no-cache, hashed assets immutable', async () => {
    const index = await app.inject({ url: '/' });
    expect(index.statusCode).toBe(200);
    expect(index.headers['cache-control']).toBe('no-cache');
    const sw = await app.inject({ url: '/sw.js' });
    expect(sw.headers['cache-control']).toBe('no-cache');
    const manifest = await app.inject({ url: '/manifest.webmanifest' });
    expect(manifest.headers['cache-control']).toBe('no-cache');
    const asset = await app.inject({ url: '/assets/index-abc123.js' });
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
  });

  it('falls back to index.html for navigations only', async () => {
    const nav = await app.inject({ url: '/files/123', headers: { accept: 'text/html' } });
    expect(nav.statusCode).toBe(200);
    expect(nav.body).toContain('<title>FieldVault</title>');
    expect(nav.headers['cache-control']).toBe('no-cache');
    expect(
      (await app.inject({ url: '/missing.js', headers: { accept: 'text/html' } })).statusCode,
    ).toBe(404);
    expect((await app.inject({ url: '/assets/gone-1.js' })).statusCode).toBe(404);
    expect(
      (await app.inject({ url: '/trpc/nope', headers: { accept: 'text/html' } })).statusCode,
    ).toBe(404);
    expect(
      (await app.inject({ url: '/files/123', headers: { accept: 'application/json' } })).statusCode,
    ).toBe(404);
  });
});

describe('fs backend byte routes on the host', () => {
  let fsHarness: Harness;
  let fsApp: FastifyInstance;
  beforeAll(async () => {
    fsHarness = await createHarness('pglite');
    fsApp = await fsHarness.http();
  });
  afterAll(async () => {
    await fsHarness.destroy();
  });

  it('lets the page reach presigned URLs from either loopback name (CSP and CORS)', async () => {
    const csp = String(
      (await fsApp.inject({ url: '/healthz' })).headers['content-security-policy'],
    );
    expect(csp).toContain("connect-src 'self' http://127.0.0.1:8080 http://localhost:8080");
    const preflight = await fsApp.inject({
      method: 'OPTIONS',
      url: '/storage/o/a/b.txt',
      headers: { origin: 'http://localhost:8080', 'access-control-request-method': 'PUT' },
    });
    expect(preflight.statusCode).toBe(200);
    const foreign = await fsApp.inject({
      method: 'OPTIONS',
      url: '/storage/o/a/b.txt',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'PUT' },
    });
    expect(foreign.statusCode).toBe(403);
  });

  it('serves stored bytes through a presigned GET with a cross-origin CORP', async () => {
    const store = fsHarness.deps.store;
    await store.putObject('org/x/y/z/2026/03/id-a.txt', new TextEncoder().encode('hello'), {
      contentType: 'text/plain',
    });
    const signed = await store.presignGet('org/x/y/z/2026/03/id-a.txt', { expiresIn: 60 });
    const url = new URL(signed.url);
    const res = await fsApp.inject({
      url: `${url.pathname}${url.search}`,
      headers: signed.headers,
    });
    expect(res.statusCode).toBe(200);
    expect(res.body).toBe('hello');
    expect(res.headers['cross-origin-resource-policy']).toBe('cross-origin');
    // Everything else keeps the strict default.
    expect((await fsApp.inject({ url: '/healthz' })).headers['cross-origin-resource-policy']).toBe(
      'same-origin',
    );
  });
});
