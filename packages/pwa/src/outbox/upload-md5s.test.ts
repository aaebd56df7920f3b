// Upload MD5s after "Saved": a capture is saved with its SHA-256 alone, the background pass fills the MD5s later, failures lose nothing.
import { uuidv7 } from '@fieldvault/shared/ids';
import { describe, expect, it, vi } from 'vitest';
import { md5Pass, type Md5Pass } from '../hash/md5-pass';
import { openOutboxDb } from './db';
import { DB_VERSION } from './schema';
import {
  freshOutbox,
  HASHING_TIMEOUT_MS,
  newCapture,
  nodeMd5s,
  nodeSha256,
  nodeVerify,
  patternBytes,
  shaOnlyCapture,
} from './testing';
import { ensureUploadMd5s, uploadMd5sOf } from './upload-md5s';

const MiB = 1024 * 1024;

/** An MD5 pass that waits until `open()`; `blobs` are the Blobs it was asked for. */
function gatedPass() {
  let open = () => {};
  const gate = new Promise<void>((resolve) => (open = resolve));
  const blobs: Blob[] = [];
  const pass: Md5Pass = async (blob, options) => {
    blobs.push(blob);
    await gate;
    return md5Pass(blob, options);
  };
  return { pass, open, blobs };
}

describe('upload MD5s after "Saved"', { timeout: HASHING_TIMEOUT_MS }, () => {
  for (const size of [2048, 17 * MiB + 3]) {
    it(`saves a ${size}-byte capture before any MD5 is computed, then stores the MD5s its plan needs`, async () => {
      const { outbox } = freshOutbox();
      const { bytes, capture } = shaOnlyCapture(size);
      const md5s = gatedPass();
      const saved = await outbox.saveCapture({
        capture,
        now: 1,
        eventId: uuidv7(),
        verify: nodeVerify,
        md5s: md5s.pass,
      });
      // "Saved" came while the MD5 pass was still waiting: the record has the SHA-256 and no MD5s.
      expect(saved.sha256).toBe(nodeSha256(bytes).sha256);
      expect(uploadMd5sOf(saved)).toBeNull();
      const stored = await outbox.getCapture(capture.captureId);
      expect(stored && uploadMd5sOf(stored)).toBeNull();
      // The pass hashes the bytes read back from IndexedDB, not the picked file.
      expect(md5s.blobs).toHaveLength(1);
      expect(md5s.blobs[0]).not.toBe(capture.blob);
      md5s.open();
      await vi.waitFor(async () => {
        const after = await outbox.getCapture(capture.captureId);
        expect(after && uploadMd5sOf(after)).toEqual(nodeMd5s(bytes));
      });
      const after = await outbox.getCapture(capture.captureId);
      expect(after).toMatchObject({ ...saved, ...nodeMd5s(bytes) });
    });
  }

  it('a failed MD5 pass leaves the capture saved, without MD5s, and the upload computes them', async () => {
    const { outbox } = freshOutbox();
    const { bytes, capture } = shaOnlyCapture(4096);
    const failing = vi.fn<Md5Pass>(() => Promise.reject(new Error('The MD5 worker stopped')));
    const input = { capture, now: 1, eventId: uuidv7(), verify: nodeVerify, md5s: failing };
    const saved = await outbox.saveCapture(input);
    await vi.waitFor(() => expect(failing).toHaveBeenCalledOnce());
    const stored = await outbox.getCapture(capture.captureId);
    expect(stored).toMatchObject({ state: 'queued', sha256: capture.hashes.sha256 });
    expect(stored && uploadMd5sOf(stored)).toBeNull();
    const job = { capture: saved, blob: capture.blob, pass: md5Pass };
    expect(await ensureUploadMd5s(outbox, job)).toEqual(nodeMd5s(bytes));
    const after = await outbox.getCapture(capture.captureId);
    expect(after && uploadMd5sOf(after)).toEqual(nodeMd5s(bytes));
  });

  it('MD5s that arrive after a discard do not bring the capture back', async () => {
    const { outbox } = freshOutbox();
    const { bytes, capture } = shaOnlyCapture(4096);
    const md5s = gatedPass();
    const input = { capture, now: 1, eventId: uuidv7(), verify: nodeVerify, md5s: md5s.pass };
    const saved = await outbox.saveCapture(input);
    const discard = { captureId: capture.captureId, eventId: uuidv7(), deviceLabel: 'x', now: 2 };
    await outbox.discardCapture(discard);
    md5s.open();
    const joined = ensureUploadMd5s(outbox, {
      capture: saved,
      blob: capture.blob,
      pass: md5s.pass,
    });
    expect(await joined).toEqual(nodeMd5s(bytes));
    expect(md5s.blobs).toHaveLength(1);
    expect(await outbox.getCapture(capture.captureId)).toBeUndefined();
  });

  it('a capture that arrives with its MD5s (an import) starts no pass', async () => {
    const { outbox } = freshOutbox();
    const capture = newCapture(4096);
    const pass = vi.fn<Md5Pass>();
    const saved = await outbox.saveCapture({
      capture,
      now: 1,
      eventId: uuidv7(),
      verify: nodeVerify,
      md5s: pass,
    });
    expect(uploadMd5sOf(saved)).toEqual({ md5: capture.hashes.md5 });
    expect(pass).not.toHaveBeenCalled();
  });

  it('keeps MD5s already stored and refuses ones that do not fit the part plan', async () => {
    const { outbox } = freshOutbox();
    const { bytes, capture } = shaOnlyCapture(17 * MiB + 3);
    await outbox.saveCapture({ capture, now: 1, eventId: uuidv7(), verify: nodeVerify });
    const { captureId } = capture;
    const whole = { md5: 'AAAAAAAAAAAAAAAAAAAAAA==' };
    await expect(outbox.setCaptureMd5s({ captureId, md5s: whole })).rejects.toThrow(/part plan/);
    await outbox.setCaptureMd5s({ captureId, md5s: nodeMd5s(bytes) });
    await outbox.setCaptureMd5s({ captureId, md5s: { partMd5s: ['x', 'y', 'z'] } });
    const stored = await outbox.getCapture(captureId);
    expect(stored && uploadMd5sOf(stored)).toEqual(nodeMd5s(bytes));
  });

  it('one computation per capture: a second caller joins the one running', async () => {
    const { outbox } = freshOutbox();
    const { bytes, capture } = shaOnlyCapture(4096);
    const saved = await outbox.saveCapture({
      capture,
      now: 1,
      eventId: uuidv7(),
      verify: nodeVerify,
    });
    const md5s = gatedPass();
    const job = { capture: saved, blob: capture.blob, pass: md5s.pass };
    const first = ensureUploadMd5s(outbox, job);
    await vi.waitFor(() => expect(md5s.blobs).toHaveLength(1));
    const second = ensureUploadMd5s(outbox, job);
    md5s.open();
    expect(await Promise.all([first, second])).toEqual([nodeMd5s(bytes), nodeMd5s(bytes)]);
    expect(md5s.blobs).toHaveLength(1);
  });

  it('a caller whose signal aborts stops waiting; the computation still stores the MD5s', async () => {
    const { outbox } = freshOutbox();
    const { bytes, capture } = shaOnlyCapture(4096);
    const saved = await outbox.saveCapture({
      capture,
      now: 1,
      eventId: uuidv7(),
      verify: nodeVerify,
    });
    const md5s = gatedPass();
    const controller = new AbortController();
    const job = { capture: saved, blob: capture.blob, pass: md5s.pass, signal: controller.signal };
    const waiting = ensureUploadMd5s(outbox, job);
    controller.abort(new DOMException('paused', 'AbortError'));
    await expect(waiting).rejects.toMatchObject({ name: 'AbortError' });
    md5s.open();
    await vi.waitFor(async () => {
      const stored = await outbox.getCapture(capture.captureId);
      expect(stored && uploadMd5sOf(stored)).toEqual(nodeMd5s(bytes));
    });
  });
});

/** A capture row as versions up to 4 wrote it: `md5` always, `partMd5s` for multipart sizes. */
function oldRow(captureId: string, bytes: Uint8Array) {
  const { md5 } = nodeMd5s(bytes.subarray(0, 1));
  return {
    captureId,
    size: bytes.length,
    sha256: nodeSha256(bytes).sha256,
    // Older versions kept a whole-file MD5 for multipart sizes too (never sent there now).
    md5,
    ...nodeMd5s(bytes),
    state: 'queued',
    attempts: 0,
    blobKey: captureId,
    createdAt: 1,
    updatedAt: 1,
  };
}

describe('records saved before MD5s were deferred', { timeout: HASHING_TIMEOUT_MS }, () => {
  // Every version wrote the MD5s at capture: such rows need no upgrade step, they read as computed under
  // the current version and no pass runs for them.
  for (let from = 1; from < DB_VERSION; from++) {
    it(`version ${from} captures read as having their MD5s after the upgrade to ${DB_VERSION}`, async () => {
      const { outbox, factory } = freshOutbox();
      const old = await openOutboxDb({ factory, version: from });
      const files = { single: patternBytes(4096, 2), multipart: patternBytes(17 * MiB + 3, 2) };
      const tx = (old as unknown as IDBDatabase).transaction('captures', 'readwrite');
      for (const [id, bytes] of Object.entries(files))
        tx.objectStore('captures').put(oldRow(id, bytes));
      await new Promise((resolve) => (tx.oncomplete = resolve));
      old.close();
      const pass = vi.fn<Md5Pass>();
      for (const [id, bytes] of Object.entries(files)) {
        const upgraded = await outbox.getCapture(id);
        if (!upgraded) throw new Error(`${id} lost in the upgrade`);
        expect(uploadMd5sOf(upgraded)).toEqual(nodeMd5s(bytes));
        const job = { capture: upgraded, blob: new Blob([bytes]), pass };
        expect(await ensureUploadMd5s(outbox, job)).toEqual(nodeMd5s(bytes));
      }
      expect(pass).not.toHaveBeenCalled();
    });
  }
});
