// The capture save flow with injected hashing and outbox: refused files never reach the outbox, saved ones do.
import { describe, expect, it, vi } from 'vitest';
import { freshOutbox, nodeHashes, nodeVerify } from '../outbox/testing';
import { saveCaptures, type CaptureSaverDeps, type CaptureForm } from './save-flow';

const FORM: CaptureForm = {
  system: 'accounting',
  objectType: 'receipt',
  objectId: 'R-1',
  meta: { vendor: 'Café' },
};

function jpeg(name: string, size = 64): File {
  const bytes = new Uint8Array(size);
  bytes.set([0xff, 0xd8, 0xff, 0xe0]);
  bytes.set([0xff, 0xd9], size - 2);
  return new File([bytes], name, { type: 'image/jpeg' });
}

function deps(overrides: Partial<CaptureSaverDeps> = {}) {
  const { outbox } = freshOutbox();
  let n = 0;
  const d: CaptureSaverDeps = {
    hash: async (blob) => nodeHashes(new Uint8Array(await blob.arrayBuffer())),
    save: (input) => outbox.saveCapture(input),
    now: () => 1_700_000_000_000,
    newId: () => `0190f1a2-0000-7000-8000-${String(++n).padStart(12, '0')}`,
    deviceLabel: 'test',
    ...overrides,
  };
  return { outbox, d };
}

describe('saveCaptures', () => {
  it('saves accepted files with their hashes, target and details', async () => {
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
    });
    expect(a?.target).toMatchObject({
      system: 'accounting',
      objectType: 'receipt',
      objectId: 'R-1',
    });
    expect(a?.sha256).toBe((await nodeVerify(jpeg('a.jpg'))).sha256);
  });

  it('refuses a file whose bytes are not what its type says, without hashing or storing it', async () => {
    const hash = vi.fn();
    const { outbox, d } = deps({ hash });
    const fake = new File([new TextEncoder().encode('not an image at all')], 'x.jpg', {
      type: 'image/jpeg',
    });
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
        const h = nodeHashes(new Uint8Array(await blob.arrayBuffer()));
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
});
