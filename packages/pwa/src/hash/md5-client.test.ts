// The hash Worker's MD5 helper and its Worker loop over a real MessageChannel: digests, cancel, a crashed helper.
import { afterEach, describe, expect, it } from 'vitest';
import { nodeHashes, patternBytes } from '../outbox/testing';
import { channelWorker as makeChannelWorker, closeChannelWorkers } from './testing/channel-worker';
import { createMd5Client } from './md5-client';
import { serveMd5Requests, type Md5Request } from './md5-protocol';

const MiB = 1024 * 1024;
/** A "Worker" whose other end runs the real request loop in this thread. */
const channelWorker = () => makeChannelWorker<Md5Request>(serveMd5Requests);

afterEach(closeChannelWorkers);

describe('MD5 helper worker', () => {
  it('answers the whole-file and per-part MD5s of a multipart size', async () => {
    const md5s = createMd5Client(channelWorker);
    const bytes = patternBytes(17 * MiB + 3, 7);
    const { md5, partMd5s } = nodeHashes(bytes);
    expect(await md5s(new Blob([bytes]), { chunkSize: 2 * MiB })).toEqual({ md5, partMd5s });
  });

  it('rejects at once when cancelled', async () => {
    const md5s = createMd5Client(channelWorker);
    const controller = new AbortController();
    const running = md5s(new Blob([patternBytes(8 * MiB)]), { signal: controller.signal });
    controller.abort();
    await expect(running).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('fails pending jobs when the helper crashes, and starts a new one for the next job', async () => {
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
    expect(await md5s(new Blob([bytes]), {})).toEqual({ md5: nodeHashes(bytes).md5 });
    expect(workers).toHaveLength(2);
  });
});
