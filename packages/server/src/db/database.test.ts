// The embedded database's directory lock: one process per PGlite directory, stale locks taken over.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyMigratedPgliteDir } from '../test/db.js';
import { openDatabase, pingDatabase } from './database.js';

describe('PGlite directory lock', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'fv-lock-'));
    // Existing data dirs, as a server restart finds them: the lock is under test, not initdb (30-45 s under load).
    await copyMigratedPgliteDir(path.join(dir, 'pglite'));
    await copyMigratedPgliteDir(path.join(dir, 'stale'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('refuses a second open while the first is live, and releases on close', async () => {
    const pgliteDir = path.join(dir, 'pglite');
    const first = await openDatabase({ pgliteDir });
    await pingDatabase(first.db);
    expect(await readFile(`${pgliteDir}.lock`, 'utf8')).toBe(String(process.pid));
    await expect(openDatabase({ pgliteDir })).rejects.toThrow(/in use by process/);
    await first.close();
    const second = await openDatabase({ pgliteDir });
    await pingDatabase(second.db);
    await second.close();
  });

  it('takes over a lock left by a dead process', async () => {
    const pgliteDir = path.join(dir, 'stale');
    await writeFile(`${pgliteDir}.lock`, '2147483646');
    const opened = await openDatabase({ pgliteDir });
    await pingDatabase(opened.db);
    await opened.close();
  });
});
