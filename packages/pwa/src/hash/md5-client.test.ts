// The MD5 Worker's client and its Worker loop over a real MessageChannel: digests, cancel, a crashed Worker.
import { afterEach, describe, expect, it } from 'vitest';
import { nodeMd5s, patternBytes } from '../outbox/testing';
import { channelWorker as makeChannelWorker, closeChannelWorkers } from './testing/channel-worker';
import { createMd5Client } from './md5-client';
import { serveMd5Requests, type Md5Request } from './md5-protocol';

const MiB = 1024 * 1024;
/** A "Worker" whose other end runs the real request loop in this thread. */
const channelWorker = () => makeChannelWorker<Md5Request>(serveMd5Requests);

afterEach(closeChannelWorkers);

describe('MD5 worker client', () => {
  it('answers the per-part MD5s of a multipart size and the whole-file MD5 of a single one', async () => {
    const md5s = createMd5Client(channelWorker);
    const large = patternBytes(17 * MiB + 3, 7);
    expect(await md5s(new Blob([large]), { chunkSize: 2 * MiB })).toEqual(nodeMd5s(large));
    expect(nodeMd5s(large).partMd5s).toHaveLength(3);
    const small = patternBytes(3 * MiB, 7);
    expect(await md5s(new Blob([small]), {})).toEqual(nodeMd5s(small));
  });

  it('rejects at once when cancelled', async () => {
    const md5s = createMd5Client(channelWorker);
    const controller = new AbortController();
    const running = md5s(new Blob([patternBytes(8 * MiB)]), { signal: controller.signal });
    controller.abort();
    await expect(running).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('fails pending jobs when the Worker crashes, and starts a new one for the next job', async () => {
    const workers: ReturnType<typeof channelWorker>[] = [];
    const md5s = createMd5Client(() => {
      const w = channelWorker();
      workers.push(w);
      return w;
    });
    const pending = md5s(new Blob([patternBytes(8 * MiB)]), {});
    workers[0]?.crash();
    await expect(pending).rejects.toThrow('The MD5 worker stopped');
    const bytes = patternBytes(1000);
    expect(await md5s(new Blob([bytes]), {})).toEqual(nodeMd5s(bytes));
    expect(workers).toHaveLength(2);
  });
});
