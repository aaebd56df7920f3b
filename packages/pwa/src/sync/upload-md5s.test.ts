// The sync engine and upload MD5s computed after "Saved": it computes missing ones, joins a pass still running, and a crash in between loses nothing.
import { uuidv7 } from '@fieldvault/shared/ids';
import { describe, expect, it, vi } from 'vitest';
import { md5Pass, type Md5Pass } from '../hash/md5-pass';
import type { Outbox } from '../outbox/outbox';
import {
  HASHING_TIMEOUT_MS,
  nodeMd5s,
  nodeSha256,
  nodeVerify,
  shaOnlyCapture,
} from '../outbox/testing';
import { uploadMd5sOf } from '../outbox/upload-md5s';
import { createMemoryLock } from './lock';
import { outboxState, setupSync } from './testing/setup';

const MiB = 1024 * 1024;

/** Saves a capture of `size` pattern bytes with its SHA-256 only, as the capture screen does now. */
async function saveShaOnly(outbox: Outbox, options: { size: number; md5s?: Md5Pass }) {
  const { bytes, capture } = shaOnlyCapture(options.size, 13);
  const md5s = options.md5s ? { md5s: options.md5s } : {};
  await outbox.saveCapture({ capture, now: 0, eventId: uuidv7(), verify: nodeVerify, ...md5s });
  return { bytes, captureId: capture.captureId };
}

/** What `uploads.begin` received for a capture (the server signs its URLs from these MD5s). */
function begunWith(server: ReturnType<typeof setupSync>['server'], captureId: string) {
  const session = [...server.sessions.values()].find((s) => s.input.captureId === captureId);
  const { md5, partMd5s } = session?.input ?? {};
  return { ...(md5 ? { md5 } : {}), ...(partMd5s ? { partMd5s } : {}) };
}

describe('upload MD5s at upload time', { timeout: HASHING_TIMEOUT_MS }, () => {
  for (const size of [4096, 17 * MiB + 3]) {
    it(`computes the missing MD5s of a ${size}-byte capture before begin, sends and stores them`, async () => {
      const { outbox, server, makeEngine } = setupSync();
      const { bytes, captureId } = await saveShaOnly(outbox, { size });
      const pass = vi.fn<Md5Pass>(md5Pass);
      const result = await makeEngine({ md5s: pass }).run();
      expect(result).toMatchObject({ status: 'idle', uploaded: 1 });
      expect(pass).toHaveBeenCalledOnce();
      expect(begunWith(server, captureId)).toEqual(nodeMd5s(bytes));
      expect(server.files.get(captureId)).toMatchObject({ status: 'verified' });
      const [done] = (await outboxState(outbox)).captures;
      expect(done && uploadMd5sOf(done)).toEqual(nodeMd5s(bytes));
    });
  }

  it('joins the background pass still running when sync starts, computing nothing twice', async () => {
    const { outbox, server, makeEngine } = setupSync();
    let open = () => {};
    const gate = new Promise<void>((resolve) => (open = resolve));
    const background = vi.fn<Md5Pass>(
      async (blob, options) => (await gate, md5Pass(blob, options)),
    );
    const { bytes, captureId } = await saveShaOnly(outbox, { size: 4096, md5s: background });
    const ownPass = vi.fn<Md5Pass>(md5Pass);
    // The engine has taken the receipt once it read its bytes; it must then wait for the pass.
    let bytesRead = false;
    const store: Outbox = {
      ...outbox,
      getCaptureBlob: async (key) => {
        const blob = await outbox.getCaptureBlob(key);
        bytesRead = true;
        return blob;
      },
    };
    const running = makeEngine({ store, md5s: ownPass }).run();
    await vi.waitFor(() => expect(bytesRead).toBe(true));
    // Time enough for a begin to go (a batch leaves on the next microtask, its call after one write).
    await new Promise((resolve) => setTimeout(resolve, 50));
    // No begin without the MD5s the server signs into the PUT URL.
    expect(server.callsOf('begin')).toEqual([]);
    expect((await outbox.getCapture(captureId))?.state).toBe('queued');
    open();
    expect(await running).toMatchObject({ status: 'idle', uploaded: 1 });
    expect(background).toHaveBeenCalledOnce();
    expect(ownPass).not.toHaveBeenCalled();
    expect(begunWith(server, captureId)).toEqual(nodeMd5s(bytes));
  });

  it('uses MD5s the background pass stored after the engine read the record', async () => {
    const { outbox, server, makeEngine } = setupSync();
    const { bytes, captureId } = await saveShaOnly(outbox, { size: 4096 });
    const ownPass = vi.fn<Md5Pass>(md5Pass);
    // The record the engine lists has no MD5s; they land in IndexedDB before it needs them (while it
    // reads the bytes to compute them).
    const store: Outbox = {
      ...outbox,
      getCaptureBlob: async (key) => {
        const blob = await outbox.getCaptureBlob(key);
        await outbox.setCaptureMd5s({ captureId, md5s: nodeMd5s(bytes) });
        return blob;
      },
    };
    expect(await makeEngine({ store, md5s: ownPass }).run()).toMatchObject({ uploaded: 1 });
    expect(ownPass).not.toHaveBeenCalled();
    expect(begunWith(server, captureId)).toEqual(nodeMd5s(bytes));
  });

  it('computes missing MD5s ahead of the window while earlier receipts are sent', async () => {
    const { outbox, server, makeEngine } = setupSync({ sync: { fileConcurrency: 1 } });
    const first = await saveShaOnly(outbox, { size: 4096 });
    const second = await saveShaOnly(outbox, { size: 5000 });
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    server.inject((c) => (c.proc === 'put' ? { hold: held } : undefined), 1);
    const pass = vi.fn<Md5Pass>(md5Pass);
    const run = makeEngine({ md5s: pass }).run();
    // One receipt in the window, its PUT held: the next one's MD5s are computed and stored meanwhile.
    await vi.waitFor(async () => {
      const stored = await outbox.getCapture(second.captureId);
      expect(stored && uploadMd5sOf(stored)).toEqual(nodeMd5s(second.bytes));
    });
    expect(server.storedPuts()).toHaveLength(0);
    release();
    expect(await run).toMatchObject({ status: 'idle', uploaded: 2 });
    expect(pass).toHaveBeenCalledTimes(2);
    expect(begunWith(server, first.captureId)).toEqual(nodeMd5s(first.bytes));
  });

  it('a crash between "Saved" and the MD5s loses nothing: the restarted app computes them and uploads', async () => {
    const { outbox, factory, server, clock } = setupSync();
    // First "process": saved, then died while its MD5 pass ran (the pass never finishes).
    const dying = vi.fn<Md5Pass>(() => new Promise(() => {}));
    const size = 17 * MiB + 3;
    const { bytes, captureId } = await saveShaOnly(outbox, { size, md5s: dying });
    await vi.waitFor(() => expect(dying).toHaveBeenCalledOnce());
    expect((await outboxState(outbox)).captures).toMatchObject([{ captureId, state: 'queued' }]);
    // Restart: fresh modules (nothing in memory survives a crash) on the same IndexedDB and server.
    vi.resetModules();
    const { createOutbox } = await import('../outbox/outbox');
    const { createSyncEngine } = await import('./engine');
    const reopened = createOutbox({ factory });
    const engine = createSyncEngine({
      transport: server,
      store: reopened,
      clock,
      lock: createMemoryLock(),
      random: () => 0.5,
      deviceLabel: 'Test phone',
    });
    expect(await engine.run()).toMatchObject({ status: 'idle', uploaded: 1 });
    expect(begunWith(server, captureId)).toEqual(nodeMd5s(bytes));
    expect(server.files.get(captureId)).toMatchObject({
      status: 'verified',
      sha256: nodeSha256(bytes).sha256,
    });
    expect((await outboxState(reopened)).captures).toMatchObject([{ state: 'done' }]);
  });
});
