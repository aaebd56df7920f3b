// The capture save flow with injected hashing and outbox: refused files never reach the outbox, saved ones do.
import { describe, expect, it, vi } from 'vitest';
import { CaptureSaveError } from '../outbox/save-capture';
import { md5Pass, type Md5Pass } from '../hash/md5-pass';
import { freshOutbox, nodeMd5s, nodeSha256, nodeVerify, outboxState } from '../outbox/testing';
import { uploadMd5sOf } from '../outbox/upload-md5s';
import {
  NO_ROOM_MESSAGE,
  saveCaptures,
  type CaptureForm,
  type CaptureSaverDeps,
  type CaptureSource,
} from './save-flow';

const FORM: CaptureForm = {
  system: 'accounting',
  objectType: 'receipt',
  objectId: 'R-1',
  meta: { vendor: 'Café' },
};

const OWNER = {
  userId: '0190f1a2-0000-7000-8000-0000000000aa',
  orgId: '0190f1a2-0000-7000-8000-0000000000bb',
  email: 'anna@example.com',
};

let sourceIds = 0;

/** A picked JPEG as the capture screen hands it over (its draft id becomes the capture id). */
function jpeg(name: string, size = 64): CaptureSource {
  const bytes = new Uint8Array(size);
  bytes.set([0xff, 0xd8, 0xff, 0xe0]);
  bytes.set([0xff, 0xd9], size - 2);
  const id = `0190f1a2-0000-7000-9000-${String(++sourceIds).padStart(12, '0')}`;
  return { id, file: new File([bytes], name, { type: 'image/jpeg' }), filename: name };
}

function deps(overrides: Partial<CaptureSaverDeps> = {}) {
  const { outbox } = freshOutbox();
  let n = 0;
  const d: CaptureSaverDeps = {
    hash: async (blob) => nodeSha256(new Uint8Array(await blob.arrayBuffer())),
    save: (input) => outbox.saveCapture(input),
    now: () => 1_700_000_000_000,
    newId: () => `0190f1a2-0000-7000-8000-${String(++n).padStart(12, '0')}`,
    deviceLabel: 'test',
    owner: OWNER,
    ...overrides,
  };
  return { outbox, d };
}

describe('saveCaptures', () => {
  it('saves accepted files with their hashes, target, details and the user who took them', async () => {
    const { outbox, d } = deps();
    const outcomes = await saveCaptures(d, [jpeg('a.jpg'), jpeg('b.jpg')], FORM);
    expect(outcomes.map((o) => o.ok)).toEqual([true, true]);
    const stored = await outbox.listCaptures();
    expect(stored).toHaveLength(2);
    const a = stored.find((c) => c.filename === 'a.jpg');
    expect(a).toMatchObject({
      state: 'queued',
      contentType: 'image/jpeg',
      meta: { vendor: 'Café' },
      owner: OWNER,
    });
    expect(a?.target).toMatchObject({
      system: 'accounting',
      objectType: 'receipt',
      objectId: 'R-1',
    });
    expect(a?.sha256).toBe((await nodeVerify(jpeg('a.jpg').file)).sha256);
  });

  it('refuses a file whose bytes are not what its type says, without hashing or storing it', async () => {
    const hash = vi.fn();
    const { outbox, d } = deps({ hash });
    const fake = {
      ...jpeg('x.jpg'),
      file: new File([new TextEncoder().encode('not an image at all')], 'x.jpg', {
        type: 'image/jpeg',
      }),
    };
    const [outcome] = await saveCaptures(d, [fake], FORM);
    expect(outcome?.ok).toBe(false);
    expect(outcome && !outcome.ok && outcome.message.length).toBeGreaterThan(0);
    expect(hash).not.toHaveBeenCalled();
    expect(await outbox.listCaptures()).toEqual([]);
  });

  it('reports a failed save in words and leaves nothing behind when the stored bytes do not verify', async () => {
    let calls = 0;
    const { outbox, d } = deps({
      hash: async (blob) => {
        calls++;
        const h = nodeSha256(new Uint8Array(await blob.arrayBuffer()));
        return calls === 1 ? h : { ...h, sha256: '0'.repeat(64) };
      },
    });
    const [outcome] = await saveCaptures(d, [jpeg('a.jpg')], FORM);
    expect(outcome).toMatchObject({
      ok: false,
      message: expect.stringMatching(/^Not saved: /) as unknown,
    });
    expect(await outbox.listCaptures()).toEqual([]);
  });

  it('refuses every file when the object id is not valid, storing nothing', async () => {
    const { outbox, d } = deps();
    const outcomes = await saveCaptures(d, [jpeg('a.jpg')], {
      ...FORM,
      objectId: 'no spaces/slashes',
    });
    expect(outcomes).toMatchObject([
      { ok: false, message: expect.stringMatching(/^Object id/) as unknown },
    ]);
    expect(await outbox.listCaptures()).toEqual([]);
  });

  it('keeps the receipt date with the details', async () => {
    const { outbox, d } = deps();
    const form = { ...FORM, meta: { vendor: 'Café', receiptDate: '2026-11-20' } };
    expect((await saveCaptures(d, [jpeg('dated.jpg')], form)).map((o) => o.ok)).toEqual([true]);
    expect((await outbox.listCaptures())[0]?.meta).toEqual({
      vendor: 'Café',
      receiptDate: '2026-11-20',
    });
  });

  it('refuses a future receipt date with the field named, storing nothing', async () => {
    const { outbox, d } = deps();
    const form = { ...FORM, meta: { receiptDate: '2999-01-01' } };
    const outcomes = await saveCaptures(d, [jpeg('future.jpg')], form);
    expect(outcomes).toMatchObject([
      { ok: false, message: 'Receipt date: The receipt date cannot be in the future.' },
    ]);
    expect((await outboxState(outbox)).captures).toEqual([]);
  });

  it('says in words when the file cannot be hashed', async () => {
    const { outbox, d } = deps({
      hash: () => Promise.reject(new Error('WebAssembly.compile(): CSP')),
    });
    const [outcome] = await saveCaptures(d, [jpeg('a.jpg')], FORM);
    expect(outcome).toMatchObject({
      ok: false,
      message: expect.stringMatching(/could not read the file/) as unknown,
    });
    expect(await outbox.listCaptures()).toEqual([]);
  });

  it('refuses a capture the storage estimate says cannot fit, storing nothing and keeping the draft', async () => {
    const forgetDraft = vi.fn(() => Promise.resolve());
    const hash = vi.fn();
    const { outbox, d } = deps({ hasRoom: () => Promise.resolve(false), forgetDraft, hash });
    const [outcome] = await saveCaptures(d, [jpeg('big.jpg')], FORM);
    expect(outcome).toMatchObject({ ok: false, message: NO_ROOM_MESSAGE });
    expect(hash).not.toHaveBeenCalled();
    expect(forgetDraft).not.toHaveBeenCalled();
    expect(await outboxState(outbox)).toEqual({ captures: [], blobs: [], uploads: [], events: [] });
  });

  it('a full disk during the write is said in words and leaves nothing of the capture', async () => {
    const full = new CaptureSaveError('quota-exceeded', 'The device is out of storage space.');
    const { outbox, d } = deps({ save: () => Promise.reject(full) });
    const [outcome] = await saveCaptures(d, [jpeg('a.jpg')], FORM);
    expect(outcome).toMatchObject({
      ok: false,
      message: 'Not saved: The device is out of storage space.',
    });
    expect(await outboxState(outbox)).toEqual({ captures: [], blobs: [], uploads: [], events: [] });
  });

  it('saves under the draft id with its thumbnail, then forgets the draft', async () => {
    const forgetDraft = vi.fn(() => Promise.resolve());
    const { outbox, d } = deps({ forgetDraft });
    const thumbnail = {
      type: 'image/jpeg' as const,
      bytes: new ArrayBuffer(3),
      width: 1,
      height: 1,
    };
    const source = { ...jpeg('a.jpg'), thumbnail };
    const [outcome] = await saveCaptures(d, [source], FORM);
    expect(outcome).toMatchObject({ ok: true, captureId: source.id });
    expect(forgetDraft).toHaveBeenCalledExactlyOnceWith(source.id);
    expect((await outbox.listThumbnails()).map((t) => t.captureId)).toEqual([source.id]);
  });

  it('says saved on the SHA-256 alone; the upload MD5s follow in the background', async () => {
    let open = () => {};
    const gate = new Promise<void>((resolve) => (open = resolve));
    const md5s = vi.fn<Md5Pass>(async (blob, options) => (await gate, md5Pass(blob, options)));
    const hash = vi.fn(async (blob: Blob) => nodeSha256(new Uint8Array(await blob.arrayBuffer())));
    const { outbox, d } = deps({ md5s, hash });
    const source = jpeg('a.jpg', 4096);
    const [outcome] = await saveCaptures(d, [source], FORM);
    expect(outcome).toMatchObject({ ok: true });
    // Hashed twice (capture, read-back), SHA-256 only; the MD5 pass was started but has not finished.
    expect(hash).toHaveBeenCalledTimes(2);
    expect(md5s).toHaveBeenCalledOnce();
    const saved = await outbox.getCapture(source.id);
    expect(saved && uploadMd5sOf(saved)).toBeNull();
    open();
    const bytes = new Uint8Array(await source.file.arrayBuffer());
    await vi.waitFor(async () => {
      const filled = await outbox.getCapture(source.id);
      expect(filled && uploadMd5sOf(filled)).toEqual(nodeMd5s(bytes));
    });
  });
});
