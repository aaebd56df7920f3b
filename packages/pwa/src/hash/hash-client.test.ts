// The page-side client and the Worker loop talking over a real MessageChannel: results, progress, cancel, crash.
import { afterEach, describe, expect, it } from 'vitest';
import { nodeHashes, patternBytes } from '../outbox/testing';
import { createHashClient, type HashWorkerLike } from './hash-client';
import { serveHashRequests } from './hash-protocol';

const channels: MessageChannel[] = [];

/** A "Worker" whose other end runs the real request loop in this thread. */
function channelWorker(): HashWorkerLike & { crash(): void } {
  const channel = new MessageChannel();
  channels.push(channel);
  serveHashRequests(channel.port2);
  channel.port2.start();
  channel.port1.start();
  const errorListeners: ((event: Event) => void)[] = [];
  return {
    postMessage: (message) => channel.port1.postMessage(message),
    addEventListener: (type: 'message' | 'error', listener: (event: never) => void) => {
      if (type === 'error') errorListeners.push(listener as (event: Event) => void);
      else channel.port1.addEventListener('message', listener as (event: MessageEvent) => void);
    },
    terminate: () => channel.port1.close(),
    crash: () => errorListeners.forEach((l) => l(new Event('error'))),
  };
}

afterEach(() => {
  for (const c of channels.splice(0)) {
    c.port1.close();
    c.port2.close();
  }
});

describe('hash client', () => {
  it('hashes a file in the worker and relays progress', async () => {
    const client = createHashClient({ createWorker: channelWorker });
    const bytes = patternBytes(3 * 1024 * 1024 + 5);
    const progress: number[] = [];
    const result = await client.hash(new Blob([bytes]), {
      chunkSize: 1024 * 1024,
      onProgress: (p) => progress.push(p.bytesDone),
    });
    expect(result).toEqual(nodeHashes(bytes));
    expect(progress.at(-1)).toBe(bytes.length);
    client.close();
  });

  it('runs several jobs on one worker and keeps their results apart', async () => {
    let started = 0;
    const client = createHashClient({ createWorker: () => (started++, channelWorker()) });
    const a = patternBytes(1000, 1);
    const b = patternBytes(2000, 2);
    const [ra, rb] = await Promise.all([client.hash(new Blob([a])), client.hash(new Blob([b]))]);
    expect([ra, rb]).toEqual([nodeHashes(a), nodeHashes(b)]);
    expect(started).toBe(1);
    client.close();
  });

  it('rejects with AbortError when cancelled, and stays usable', async () => {
    const client = createHashClient({ createWorker: channelWorker });
    const controller = new AbortController();
    const hashing = client.hash(new Blob([patternBytes(8 * 1024 * 1024)]), {
      signal: controller.signal,
      chunkSize: 1024 * 1024,
    });
    controller.abort();
    await expect(hashing).rejects.toMatchObject({ name: 'AbortError' });
    const small = patternBytes(10);
    expect(await client.hash(new Blob([small]))).toEqual(nodeHashes(small));
    client.close();
  });

  it('fails pending jobs when the worker crashes and starts a new one next time', async () => {
    const workers: ReturnType<typeof channelWorker>[] = [];
    const client = createHashClient({
      createWorker: () => {
        const w = channelWorker();
        workers.push(w);
        return w;
      },
    });
    const hashing = client.hash(new Blob([patternBytes(8 * 1024 * 1024)]), {
      chunkSize: 1024 * 1024,
    });
    workers[0]?.crash();
    await expect(hashing).rejects.toThrow('The hash worker stopped');
    const bytes = patternBytes(5);
    expect(await client.hash(new Blob([bytes]))).toEqual(nodeHashes(bytes));
    expect(workers).toHaveLength(2);
    client.close();
  });
});
