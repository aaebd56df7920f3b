// A server or storage that never answers: PUTs and tRPC calls give up at their deadline as "no answer"; cancelling stays a cancel.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { classifyError } from './classify';
import { putDeadlineMs, withDeadline } from './deadline';
import { createFetchPutBytes } from './put-bytes';
import { createTrpcTransport } from './trpc-transport';
import { TransportError } from './transport';

/** A fetch that never answers; it only rejects (with the signal's reason) when its signal aborts. */
const hangingFetch = ((_input: unknown, init?: RequestInit) =>
  new Promise((_resolve, reject) => {
    const signal = init?.signal;
    signal?.addEventListener('abort', () => reject(signal.reason as Error));
  })) as typeof fetch;

const PUT = { url: 'https://storage.test/o/k', method: 'PUT' as const, headers: {} };

describe('deadlines', () => {
  it('gives a PUT 30 s plus its body at 64 KiB/s', () => {
    expect(putDeadlineMs(0)).toBe(30_000);
    expect(putDeadlineMs(8 * 1024 * 1024)).toBe(30_000 + 128_000);
  });

  it('tells an expired deadline from a caller cancel', () => {
    const caller = new AbortController();
    const deadline = withDeadline(60_000, caller.signal);
    caller.abort();
    expect(deadline.signal.aborted).toBe(true);
    expect(deadline.expired()).toBe(false);
  });

  it('fails a PUT that never answers as offline once its deadline passes', async () => {
    const put = createFetchPutBytes({ fetch: hangingFetch, deadlineMs: () => 20 });
    const error: unknown = await put(PUT, new Blob(['receipt'])).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransportError);
    expect(error).toMatchObject({ status: null, message: 'Storage did not answer within 20 ms' });
    expect(classifyError(error)).toEqual({ kind: 'offline', message: 'No connection.' });
  });

  describe('PUTs sharing the uplink', () => {
    afterEach(() => {
      vi.useRealTimers();
    });

    it('gives each PUT its bytes times the PUTs in flight with it, so a slow shared link is not taken for a stall', async () => {
      vi.useFakeTimers();
      // 1 ms per byte, no base: a lone 10-byte PUT may take 10 ms, three together 30 ms each.
      const put = createFetchPutBytes({ fetch: hangingFetch, deadlineMs: (bytes) => bytes });
      const settled: string[] = [];
      const start = (name: string) =>
        put(PUT, new Blob(['0123456789'])).catch((e: unknown) => {
          settled.push(`${name}: ${(e as Error).message}`);
        });
      const first = start('first');
      await vi.advanceTimersByTimeAsync(5);
      const others = [start('second'), start('third')];
      await vi.advanceTimersByTimeAsync(20);
      expect(settled).toEqual([]);
      await vi.advanceTimersByTimeAsync(15);
      await Promise.all([first, ...others]);
      expect(settled).toEqual([
        'first: Storage did not answer within 30 ms',
        'second: Storage did not answer within 30 ms',
        'third: Storage did not answer within 30 ms',
      ]);
      // Alone again: a stalled PUT is given up on at its own deadline.
      const alone = start('alone');
      await vi.advanceTimersByTimeAsync(11);
      await alone;
      expect(settled.at(-1)).toBe('alone: Storage did not answer within 10 ms');
    });
  });

  it('reading an error answer stays under the deadline: a proxy that stalls after its headers frees the slot', async () => {
    const stallingError = ((_input: unknown, init?: RequestInit) => {
      const body = new ReadableStream({
        start(controller) {
          init?.signal?.addEventListener('abort', () => controller.error(init.signal?.reason));
        },
      });
      return Promise.resolve(new Response(body, { status: 502 }));
    }) as typeof fetch;
    const put = createFetchPutBytes({ fetch: stallingError, deadlineMs: () => 20 });
    const error: unknown = await put(PUT, new Blob(['receipt'])).catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 502, message: 'Storage answered HTTP 502' });
  });

  it('keeps a cancelled PUT a cancel, not a timeout', async () => {
    const put = createFetchPutBytes({ fetch: hangingFetch, deadlineMs: () => 60_000 });
    const caller = new AbortController();
    const pending = put(PUT, new Blob(['receipt']), caller.signal);
    caller.abort(new DOMException('Sync paused', 'AbortError'));
    const error: unknown = await pending.catch((e: unknown) => e);
    expect(classifyError(error)).toEqual({ kind: 'cancelled' });
  });

  it('fails a tRPC call that never answers as offline once its deadline passes', async () => {
    const transport = createTrpcTransport({
      url: 'http://app.test/trpc',
      fetch: hangingFetch,
      callDeadlineMs: 20,
    });
    const error: unknown = await transport
      .listParts({ sessionId: '0b7c6f1e-3c2a-4d5e-8f90-1a2b3c4d5e6f' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransportError);
    expect(error).toMatchObject({ status: null, message: 'uploads.listParts timed out' });
  });
});
