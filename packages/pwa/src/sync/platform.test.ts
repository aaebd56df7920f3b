// Platform adapters: the lock (Web Locks or in-process), Background Sync handling, the fetch `putBytes`, Retry-After parsing.
import { describe, expect, it, vi } from 'vitest';
import {
  BACKGROUND_SYNC_TAG,
  handleSyncEvent,
  requestBackgroundSync,
  SyncIncompleteError,
} from './background-sync';
import { classifyError } from './classify';
import {
  createMemoryLock,
  createSyncLock,
  createWebLock,
  SYNC_LOCK_NAME,
  type LockManagerLike,
} from './lock';
import { createFetchPutBytes, storageErrorCode } from './put-bytes';
import { parseRetryAfter, TransportError } from './transport';

describe('locks', () => {
  it('the in-process lock runs holders one after another, in order', async () => {
    const lock = createMemoryLock();
    const log: string[] = [];
    const hold = (name: string, ms: number) =>
      lock.withLock(SYNC_LOCK_NAME, async () => {
        log.push(`${name} in`);
        await new Promise((r) => setTimeout(r, ms));
        log.push(`${name} out`);
        return name;
      });
    expect(await Promise.all([hold('a', 10), hold('b', 0), hold('c', 0)])).toEqual(['a', 'b', 'c']);
    expect(log).toEqual(['a in', 'a out', 'b in', 'b out', 'c in', 'c out']);
  });

  it('releases the lock when the holder throws', async () => {
    const lock = createMemoryLock();
    await expect(lock.withLock('x', () => Promise.reject(new Error('boom')))).rejects.toThrow(
      'boom',
    );
    expect(await lock.withLock('x', () => Promise.resolve(1))).toBe(1);
  });

  it('uses Web Locks when present (exclusive, by name), the in-process lock otherwise', async () => {
    const request = vi.fn(
      (_name: string, _options: { mode: 'exclusive' }, fn: () => Promise<unknown>) => fn(),
    );
    const locks = { request } as unknown as LockManagerLike;
    expect(await createWebLock(locks).withLock(SYNC_LOCK_NAME, () => Promise.resolve(7))).toBe(7);
    expect(request).toHaveBeenCalledWith(
      SYNC_LOCK_NAME,
      { mode: 'exclusive' },
      expect.any(Function),
    );
    await createSyncLock(locks).withLock('y', () => Promise.resolve());
    expect(request).toHaveBeenCalledTimes(2);
    // Node has no navigator.locks: the realm lock is shared by every engine made without one.
    expect(createSyncLock(undefined)).toBe(createSyncLock(undefined));
  });
});

describe('background sync', () => {
  const event = (tag: string) => ({ tag, waitUntil: vi.fn<(p: Promise<unknown>) => void>() });

  it('handles only our tag and waits for the run', async () => {
    const run = vi.fn(() => Promise.resolve({ status: 'idle', pending: 0 }));
    const other = event('something-else');
    expect(handleSyncEvent(other, () => ({ run }))).toBe(false);
    const ours = event(BACKGROUND_SYNC_TAG);
    expect(handleSyncEvent(ours, () => ({ run }))).toBe(true);
    await expect(ours.waitUntil.mock.calls[0]?.[0]).resolves.toBeUndefined();
    expect(run).toHaveBeenCalledOnce();
  });

  it('fails the event when offline so the browser retries it later', async () => {
    const ours = event(BACKGROUND_SYNC_TAG);
    handleSyncEvent(ours, () => ({
      run: () => Promise.resolve({ status: 'offline', pending: 2 }),
    }));
    await expect(ours.waitUntil.mock.calls[0]?.[0]).rejects.toBeInstanceOf(SyncIncompleteError);
  });

  it('fails the event while captures wait on a backoff (the app may be closed), not for ones needing a person', async () => {
    const settle = (result: { status: string; pending: number; retryAt: number | null }) => {
      const ours = event(BACKGROUND_SYNC_TAG);
      handleSyncEvent(ours, () => ({ run: () => Promise.resolve(result) }));
      return ours.waitUntil.mock.calls[0]?.[0];
    };
    await expect(settle({ status: 'waiting', pending: 1, retryAt: 1_000 })).rejects.toBeInstanceOf(
      SyncIncompleteError,
    );
    await expect(settle({ status: 'waiting', pending: 1, retryAt: null })).resolves.toBeUndefined();
    await expect(settle({ status: 'paused', pending: 3, retryAt: null })).resolves.toBeUndefined();
  });

  it('registers the tag where Background Sync exists', async () => {
    const register = vi.fn(() => Promise.resolve());
    expect(await requestBackgroundSync({ sync: { register } })).toBe(true);
    expect(register).toHaveBeenCalledWith(BACKGROUND_SYNC_TAG);
    expect(await requestBackgroundSync({})).toBe(false);
    expect(
      await requestBackgroundSync({
        sync: { register: () => Promise.reject(new Error('denied')) },
      }),
    ).toBe(false);
  });
});

describe('fetch putBytes', () => {
  const request = {
    url: 'https://s.test/o?sig=1',
    method: 'PUT' as const,
    headers: { 'content-md5': 'abc' },
  };
  const body = new Blob(['bytes']);

  it('sends the signed headers and returns the ETag as given', async () => {
    const fetchFn = vi.fn(() =>
      Promise.resolve(new Response(null, { status: 200, headers: { etag: '"e1"' } })),
    );
    const put = createFetchPutBytes({ fetch: fetchFn as unknown as typeof fetch });
    expect(await put(request, body)).toEqual({ etag: '"e1"' });
    expect(fetchFn).toHaveBeenCalledWith(request.url, {
      method: 'PUT',
      headers: request.headers,
      body,
      // Always a signal now: the PUT's deadline (see deadline.test.ts).
      signal: expect.any(AbortSignal) as unknown,
    });
  });

  it('maps refusals, throttling, network failures and a hidden ETag', async () => {
    const respond = (r: Response | Error) =>
      createFetchPutBytes({
        fetch: (() =>
          r instanceof Error ? Promise.reject(r) : Promise.resolve(r)) as unknown as typeof fetch,
        now: () => 0,
      });
    const digest = new Response('<Error><Code>BadDigest</Code></Error>', { status: 400 });
    await expect(respond(digest)(request, body)).rejects.toMatchObject({
      status: 400,
      storageCode: 'BadDigest',
    });
    const busy = new Response('', { status: 503, headers: { 'retry-after': '7' } });
    const busyError = await respond(busy)(request, body).catch((e: unknown) => e);
    expect(busyError).toMatchObject({ status: 503, retryAfterMs: 7000 });
    expect(classifyError(busyError)).toMatchObject({ kind: 'throttled', retryAfterMs: 7000 });
    const net = await respond(new TypeError('Failed to fetch'))(request, body).catch(
      (e: unknown) => e,
    );
    expect(classifyError(net)).toMatchObject({ kind: 'offline' });
    const hidden = await respond(new Response(null, { status: 200 }))(request, body).catch(
      (e: unknown) => e,
    );
    expect(classifyError(hidden)).toMatchObject({ kind: 'permanent', code: 'STORAGE_CORS' });
    const aborted = await respond(new DOMException('aborted', 'AbortError'))(request, body).catch(
      (e: unknown) => e,
    );
    expect(classifyError(aborted)).toEqual({ kind: 'cancelled' });
  });

  it('reads storage codes from S3 XML and fs-backend JSON', () => {
    expect(storageErrorCode('<Error><Code>XAmzContentSHA256Mismatch</Code></Error>')).toBe(
      'XAmzContentSHA256Mismatch',
    );
    expect(storageErrorCode('{"code":"bad_digest","message":"x"}')).toBe('bad_digest');
    expect(storageErrorCode('oops')).toBeNull();
  });
});

describe('classification details', () => {
  it('parses Retry-After seconds and HTTP dates', () => {
    expect(parseRetryAfter('120', 0)).toBe(120_000);
    expect(parseRetryAfter('Thu, 01 Jan 1970 00:00:10 GMT', 4_000)).toBe(6_000);
    expect(parseRetryAfter('soon', 0)).toBeNull();
    expect(parseRetryAfter(null, 0)).toBeNull();
  });

  it('maps storage statuses: 403 re-sign, 404 session lost, 412 already stored, 5xx retry, other 4xx needs attention', () => {
    const s = (status: number, storageCode?: string) =>
      classifyError(new TransportError({ status, storageCode: storageCode ?? null })).kind;
    expect([s(403), s(404), s(412), s(500), s(408), s(400, 'bad_digest'), s(400), s(413)]).toEqual([
      'url-expired',
      'session-lost',
      'already-stored',
      'retry',
      'retry',
      'mismatch',
      'permanent',
      'permanent',
    ]);
    expect(classifyError(new Error('bug')).kind).toBe('retry');
  });
});
