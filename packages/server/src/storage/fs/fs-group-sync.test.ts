// Group commit for fsync: callers share flushes, yet none is answered by a flush that began before it called.
import { mkdtemp, rm } from 'node:fs/promises';
import type * as FsPromises from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

/** Every flush started, in order; each one finishes when the test releases it. */
const flushes: { path: string; dataOnly: boolean; release: (err?: Error) => void }[] = [];

vi.mock('node:fs/promises', async (importOriginal) => {
  const real = await importOriginal<typeof FsPromises>();
  const held = (p: string, dataOnly: boolean) => (): Promise<void> =>
    new Promise((resolve, reject) => {
      flushes.push({ path: p, dataOnly, release: (err) => (err ? reject(err) : resolve()) });
    });
  const open = async (p: string, flags: string) => {
    const fh = await real.open(p, flags);
    return Object.assign(fh, { sync: held(p, false), datasync: held(p, true) });
  };
  return { ...real, open, default: { ...real, open } };
});

const { groupSync } = await import('./fs-group-sync.js');

/** Let pending opens and continuations run (only before checking that nothing more happened). */
const settle = () => new Promise((resolve) => setTimeout(resolve, 20));
/** Wait until `n` flushes have started: an open takes longer than any fixed pause under load. */
const started = (n: number) => vi.waitFor(() => expect(flushes).toHaveLength(n));

describe('groupSync', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'fv-group-sync-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('answers callers that arrive during a flush with one later flush they all share', async () => {
    flushes.length = 0;
    const done: string[] = [];
    const first = groupSync(dir, false).then(() => done.push('first'));
    await started(1);
    // Arriving while flush 1 runs: their writes may postdate it, so flush 1 must not answer them.
    const second = groupSync(dir, false).then(() => done.push('second'));
    const third = groupSync(dir, false).then(() => done.push('third'));
    await settle();
    expect(flushes).toHaveLength(1);
    flushes[0]?.release();
    await first;
    await started(2);
    expect(done).toEqual(['first']);
    flushes[1]?.release();
    await Promise.all([second, third]);
    expect(done).toEqual(['first', 'second', 'third']);
    expect(flushes.map((f) => f.dataOnly)).toEqual([false, false]);
  });

  it('keeps paths apart and passes a failed flush to every caller that shared it', async () => {
    flushes.length = 0;
    const other = await mkdtemp(path.join(dir, 'other-'));
    const a = groupSync(dir, true);
    const b = groupSync(other, true);
    await started(2);
    expect(flushes.map((f) => f.path).sort()).toEqual([dir, other].sort());
    const c = groupSync(dir, true);
    const d = groupSync(dir, true);
    flushes.find((f) => f.path === dir)?.release();
    flushes.find((f) => f.path === other)?.release();
    await Promise.all([a, b]);
    await started(3);
    flushes[2]?.release(new Error('EIO'));
    await expect(c).rejects.toThrow('EIO');
    await expect(d).rejects.toThrow('EIO');
    // A failure does not wedge the path: the next caller gets a flush of its own.
    const e = groupSync(dir, true);
    await started(4);
    flushes[3]?.release();
    await e;
  });
});
