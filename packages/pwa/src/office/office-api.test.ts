// Unit tests: what the office screens are told when a call fails.
import { TRPCClientError } from '@trpc/client';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createOfficeApi, OfficeError, toOfficeError } from './office-api';

function serverError(httpStatus: number, message = 'raw') {
  return new TRPCClientError(message, {
    result: {
      error: { code: -32600, message, data: { httpStatus, details: { retentionUntil: 'x' } } },
    },
  });
}

describe('toOfficeError', () => {
  it('calls a failure without any HTTP answer offline, whatever threw', () => {
    expect(toOfficeError(new TypeError('Failed to fetch')).kind).toBe('offline');
    expect(toOfficeError(new TRPCClientError('Failed to fetch')).kind).toBe('offline');
  });

  it('sorts server answers by status, with words for the common ones and details kept', () => {
    expect(toOfficeError(serverError(403))).toMatchObject({
      kind: 'forbidden',
      message: 'Your role may not do this.',
    });
    expect(toOfficeError(serverError(401)).kind).toBe('signed-out');
    expect(toOfficeError(serverError(404)).kind).toBe('not-found');
    const locked = toOfficeError(serverError(412, 'The file is under retention.'));
    expect(locked).toMatchObject({ kind: 'locked', message: 'The file is under retention.' });
    expect(locked.details).toEqual({ retentionUntil: 'x' });
    expect(toOfficeError(serverError(500, 'Something went wrong on our side.')).kind).toBe(
      'server',
    );
  });

  it('passes an OfficeError through unchanged', () => {
    const error = new OfficeError('x', 'conflict');
    expect(toOfficeError(error)).toBe(error);
  });
});

describe('createOfficeApi', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('sends files.count on its own request, so the list does not wait for the count', async () => {
    const urls: string[] = [];
    const fakeFetch: typeof fetch = (input) => {
      const href =
        typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
      const url = new URL(href, 'http://app.test');
      urls.push(url.pathname + url.search);
      const answer = (path: string) =>
        path === 'files.count'
          ? { result: { data: { count: 3, capped: false } } }
          : { result: { data: { items: [], nextCursor: null } } };
      const paths = decodeURIComponent(url.pathname.split('/trpc/')[1] ?? '').split(',');
      const body = url.searchParams.get('batch') ? paths.map(answer) : answer(paths[0] ?? '');
      return Promise.resolve(new Response(JSON.stringify(body), { status: 200 }));
    };
    vi.stubGlobal('fetch', fakeFetch);
    const api = createOfficeApi({ url: 'http://app.test/trpc' });
    const [page, count] = await Promise.all([
      api.listFiles({ filters: {}, limit: 50 }),
      api.countFiles({ filters: {} }),
    ]);
    expect(page.items).toEqual([]);
    expect(count).toEqual({ count: 3, capped: false });
    expect(urls.map((u) => u.split('?')[0])).toEqual(
      expect.arrayContaining(['/trpc/files.list', '/trpc/files.count']),
    );
    expect(urls).toHaveLength(2);
  });
});
