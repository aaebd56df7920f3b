// Unit tests for the page's Background Sync requests: after each save and at start when captures wait; none without support.
import { describe, expect, it } from 'vitest';
import { createLogger } from '../log/logger';
import type { Outbox } from '../outbox/outbox';
import { BACKGROUND_SYNC_TAG } from '../sync/background-sync';
import { withBackgroundSync, type WatchedOutbox } from './request-sync';

const log = createLogger('test', { sink: () => {} });

function fakeOutbox(pending: number) {
  const saved: unknown[] = [];
  const outbox: WatchedOutbox = {
    saveCapture: ((input: unknown) => {
      saved.push(input);
      return Promise.resolve({ captureId: 'c1' });
    }) as unknown as Outbox['saveCapture'],
    countPending: () => Promise.resolve(pending),
  };
  return { outbox, saved };
}

function fakeRegistration() {
  const tags: string[] = [];
  return {
    tags,
    registration: { sync: { register: (tag: string) => (tags.push(tag), Promise.resolve()) } },
  };
}

/** Lets the fire-and-forget requests settle. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('withBackgroundSync', () => {
  it('asks for a sync after every save and still returns what the outbox saved', async () => {
    const { outbox, saved } = fakeOutbox(0);
    const { tags, registration } = fakeRegistration();
    const wrapped = withBackgroundSync(outbox, {
      registration: Promise.resolve(registration),
      log,
    });
    const input = { any: 'capture' } as unknown as Parameters<Outbox['saveCapture']>[0];
    await expect(wrapped.saveCapture(input)).resolves.toEqual({ captureId: 'c1' });
    await settle();
    expect(saved).toEqual([input]);
    expect(tags).toEqual([BACKGROUND_SYNC_TAG]);
  });

  it('asks once at start when captures already wait, not when the outbox is empty', async () => {
    const waiting = fakeRegistration();
    withBackgroundSync(fakeOutbox(2).outbox, {
      registration: Promise.resolve(waiting.registration),
      log,
    });
    const empty = fakeRegistration();
    withBackgroundSync(fakeOutbox(0).outbox, {
      registration: Promise.resolve(empty.registration),
      log,
    });
    await settle();
    expect(waiting.tags).toEqual([BACKGROUND_SYNC_TAG]);
    expect(empty.tags).toEqual([]);
  });

  it('saves normally where the browser has no Background Sync or no service worker', async () => {
    for (const registration of [{}, undefined]) {
      const { outbox, saved } = fakeOutbox(1);
      const wrapped = withBackgroundSync(outbox, {
        registration: Promise.resolve(registration),
        log,
      });
      await wrapped.saveCapture({} as Parameters<Outbox['saveCapture']>[0]);
      await settle();
      expect(saved).toHaveLength(1);
    }
  });
});
