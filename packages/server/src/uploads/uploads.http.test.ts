// A scripted client over plain JSON/HTTP (as docs/api.md shows): log in, begin, PUT, complete, resume, errors — no tRPC client.
import { createServer, type AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DB_KINDS } from '../test/db.js';
import { createHarness, TEST_PASSWORD, type Harness } from '../test/harness.js';
import { beginInput, jpegBytes, partBytes, sha256 } from './uploads.test-kit.js';

/** A port that was free a moment ago (the public URL must be known before the app is built). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

describe.each(DB_KINDS)('upload protocol over HTTP on %s', (kind) => {
  let h: Harness;
  let app: FastifyInstance;
  let base: string;
  let cookie = '';
  beforeAll(async () => {
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    h = await createHarness(kind, { FIELDVAULT_PUBLIC_URL: base });
    const org = await h.seedOrg('web');
    app = await h.http();
    await app.listen({ host: '127.0.0.1', port });
    const res = await fetch(`${base}/trpc/auth.login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-fieldvault-csrf': '1' },
      body: JSON.stringify({
        email: org.users.field.email,
        password: TEST_PASSWORD,
        deviceLabel: 'Pixel 8',
      }),
    });
    expect(res.status).toBe(200);
    cookie = (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  });
  afterAll(async () => {
    await h.destroy();
  });

  /** POST a mutation (CSRF header and cookie), GET a query; returns status and JSON body. */
  async function call(procedure: string, input: unknown, method: 'POST' | 'GET' = 'POST') {
    const headers = { cookie, 'content-type': 'application/json', 'x-fieldvault-csrf': '1' };
    const url =
      method === 'GET'
        ? `${base}/trpc/${procedure}?input=${encodeURIComponent(JSON.stringify(input))}`
        : `${base}/trpc/${procedure}`;
    const res = await fetch(url, {
      method,
      headers,
      ...(method === 'POST' ? { body: JSON.stringify(input) } : {}),
    });
    return {
      status: res.status,
      json: (await res.json()) as {
        result?: { data: Record<string, unknown> };
        error?: { message: string; data: Record<string, unknown> };
      },
    };
  }

  it('a batch of 20 begins in one request answers 20 sessions (the batch path is longer than 100 characters)', async () => {
    const inputs = Array.from({ length: 20 }, () => beginInput(jpegBytes(1024)));
    const body = Object.fromEntries(inputs.map((input, i) => [String(i), input]));
    const res = await fetch(`${base}/trpc/${inputs.map(() => 'uploads.begin').join(',')}?batch=1`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/json', 'x-fieldvault-csrf': '1' },
      body: JSON.stringify(body),
    });
    expect(res.status).toBe(200);
    const answers = (await res.json()) as Array<{
      result?: { data: { state: string; sessionId: string } };
    }>;
    expect(answers.map((a) => a.result?.data.state)).toEqual(inputs.map(() => 'single'));
    expect(new Set(answers.map((a) => a.result?.data.sessionId)).size).toBe(20);
  });

  it('single PUT: begin → PUT the bytes → complete → verified', async () => {
    const bytes = jpegBytes(5000);
    const begun = await call('uploads.begin', beginInput(bytes));
    expect(begun.status).toBe(200);
    const data = begun.json.result?.data as {
      state: string;
      sessionId: string;
      put: { url: string; headers: Record<string, string> };
    };
    expect(data.state).toBe('single');
    expect(data.put.url.startsWith(`${base}/storage/o/`)).toBe(true);
    expect(
      (await fetch(data.put.url, { method: 'PUT', headers: data.put.headers, body: bytes })).status,
    ).toBe(200);
    const done = await call('uploads.complete', { sessionId: data.sessionId });
    expect(done.json.result?.data).toMatchObject({
      state: 'verified',
      file: { sha256: sha256(bytes), status: 'verified' },
    });
  });

  it('multipart: resume point from listParts (a GET query), parts PUT, complete without listing parts', async () => {
    const bytes = jpegBytes(17 * 1024 * 1024);
    const begun = await call('uploads.begin', beginInput(bytes));
    const data = begun.json.result?.data as {
      sessionId: string;
      parts: { partNumber: number; url: string; headers: Record<string, string> }[];
    };
    const first = data.parts[0];
    if (!first) throw new Error('no part 1');
    await fetch(first.url, { method: 'PUT', headers: first.headers, body: partBytes(bytes, 1) });
    const listed = await call('uploads.listParts', { sessionId: data.sessionId }, 'GET');
    expect(
      (listed.json.result?.data as { parts: { partNumber: number }[] }).parts.map(
        (p) => p.partNumber,
      ),
    ).toEqual([1]);
    for (const p of data.parts.slice(1))
      await fetch(p.url, {
        method: 'PUT',
        headers: p.headers,
        body: partBytes(bytes, p.partNumber),
      });
    const done = await call('uploads.complete', { sessionId: data.sessionId });
    expect(done.json.result?.data).toMatchObject({ state: 'verified' });
  });

  it('errors are plain JSON with the shared code and the field', async () => {
    const bad = await call('uploads.begin', { ...beginInput(jpegBytes(10)), sha256: 'nope' });
    expect(bad.status).toBe(400);
    expect(bad.json.error?.data).toMatchObject({
      errorCode: 'BAD_INPUT',
      fieldErrors: { sha256: expect.any(Array) as unknown },
    });
    const missing = await call('uploads.complete', {
      sessionId: '00000000-0000-4000-8000-000000000000',
    });
    expect(missing.status).toBe(404);
    expect(missing.json.error?.data).toMatchObject({ errorCode: 'NOT_FOUND' });
    const noCsrf = await fetch(`${base}/trpc/uploads.abort`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(noCsrf.status).toBe(403);
  });
});
