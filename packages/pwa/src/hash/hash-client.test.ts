// The page-side client and the Worker loops talking over real MessageChannels: SHA-256 results, progress, cancel, crash; MD5s in their own Worker.
import { afterEach, describe, expect, it } from 'vitest';
import { nodeMd5s, nodeSha256, patternBytes } from '../outbox/testing';
import { channelWorker as makeChannelWorker, closeChannelWorkers } from './testing/channel-worker';
import { createHashClient } from './hash-client';
import { serveHashRequests, type HashRequest } from './hash-protocol';
import { serveMd5Requests, type Md5Request } from './md5-protocol';

/** A "Worker" whose other end runs the real request loop in this thread. */
const channelWorker = () => makeChannelWorker<HashRequest>(serveHashRequests);
const md5ChannelWorker = () => makeChannelWorker<Md5Request>(serveMd5Requests);

afterEach(closeChannelWorkers);

describe('hash client', () => {
  it('hashes a file in the worker and relays progress', async () => {
    const client = createHashClient({ createWorker: channelWorker });
    const bytes = patternBytes(3 * 1024 * 1024 + 5);
    const progress: number[] = [];
    const result = await client.hash(new Blob([bytes]), {
      chunkSize: 1024 * 1024,
      onProgress: (p) => progress.push(p.bytesDone),
    });
    expect(result).toEqual(nodeSha256(bytes));
    expect(progress.at(-1)).toBe(bytes.length);
    client.close();
  });

  it('runs several jobs on one worker and keeps their results apart', async () => {
    let started = 0;
    const client = createHashClient({ createWorker: () => (started++, channelWorker()) });
    const a = patternBytes(1000, 1);
    const b = patternBytes(2000, 2);
    const [ra, rb] = await Promise.all([client.hash(new Blob([a])), client.hash(new Blob([b]))]);
    expect([ra, rb]).toEqual([nodeSha256(a), nodeSha256(b)]);
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
    expect(await client.hash(new Blob([small]))).toEqual(nodeSha256(small));
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
    expect(await client.hash(new Blob([bytes]))).toEqual(nodeSha256(bytes));
    expect(workers).toHaveLength(2);
    client.close();
  });

  it('computes upload MD5s in the MD5 Worker, which the hash Worker never starts', async () => {
    let hashWorkers = 0;
    let md5Workers = 0;
    const client = createHashClient({
      createWorker: () => (hashWorkers++, channelWorker()),
      createMd5Worker: () => (md5Workers++, md5ChannelWorker()),
    });
    const bytes = patternBytes(5 * 1024 * 1024 + 1);
    expect(await client.hash(new Blob([bytes]))).toEqual(nodeSha256(bytes));
    expect([hashWorkers, md5Workers]).toEqual([1, 0]);
    expect(await client.md5s(new Blob([bytes]), {})).toEqual(nodeMd5s(bytes));
    expect([hashWorkers, md5Workers]).toEqual([1, 1]);
    client.close();
  });
});
