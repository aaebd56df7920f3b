// The outbox on Chromium's real IndexedDB and Web Locks: a Blob capture is stored, read back and re-hashed by the real Worker.
import { afterAll, describe, expect, it } from 'vitest';
import { uuidv7 } from '@fieldvault/shared/ids';
import { createHashClient } from '../hash/hash-client';
import { createSyncLock, SYNC_LOCK_NAME } from '../sync/lock';
import { createOutbox } from './outbox';

const client = createHashClient();
afterAll(() => client.close());

describe('outbox in Chromium', () => {
  it('saves a File with its CAPTURED event and verifies the bytes read back from disk', async () => {
    const outbox = createOutbox({ name: `fieldvault-test-${uuidv7()}` });
    const bytes = new Uint8Array(3 * 1024 * 1024 + 17).map((_, i) => (i * 7) & 255);
    const file = new File([bytes], 'IMG_0001.jpg', { type: 'image/jpeg' });
    const hashes = await client.hash(file);
    const capture = {
      captureId: uuidv7(),
      target: {
        system: 'accounting' as const,
        objectType: 'receipt',
        objectId: 'EXP-1',
        capturedAt: new Date().toISOString(),
      },
      filename: file.name,
      contentType: file.type,
      blob: file,
      hashes,
      deviceLabel: 'Chromium',
    };
    const saved = await outbox.saveCapture({
      capture,
      now: Date.now(),
      eventId: uuidv7(),
      verify: (b) => client.hash(b),
    });
    const stored = await outbox.getCaptureBlob(saved.captureId);
    expect(stored).toBeInstanceOf(Blob);
    expect((await client.hash(stored ?? new Blob())).sha256).toBe(hashes.sha256);
    expect((await outbox.listCaptureEvents(saved.captureId)).map((e) => e.kind)).toEqual([
      'captured',
    ]);
    outbox.close();
  });

  it('uses Web Locks here, and they exclude each other', async () => {
    const lock = createSyncLock();
    expect(lock).not.toBe(createSyncLock(undefined));
    const order: string[] = [];
    const hold = (name: string) =>
      lock.withLock(SYNC_LOCK_NAME, async () => {
        order.push(`${name}+`);
        await new Promise((r) => setTimeout(r, 20));
        order.push(`${name}-`);
      });
    await Promise.all([hold('a'), hold('b')]);
    expect(order).toEqual(['a+', 'a-', 'b+', 'b-']);
    const held = await navigator.locks.query();
    expect(held.held ?? []).toEqual([]);
  });
});
