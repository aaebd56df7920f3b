// `fieldvault` end to end: a real process against a fresh PostgreSQL database and a fresh PGlite data dir (migrate, retention).
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { createEmptyDatabase } from '../test/db.js';

const run = promisify(execFile);
const CLI = fileURLToPath(new URL('./main.ts', import.meta.url));

function cli(args: string[], env: Record<string, string>) {
  return run(process.execPath, ['--conditions=source', '--import', 'tsx', CLI, ...args], {
    env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'silent', ...env },
    cwd: fileURLToPath(new URL('../..', import.meta.url)),
  });
}

// Each test spawns the CLI through tsx (cold start 5–10 s on a loaded 2-core CI machine, twice per test).
describe('fieldvault migrate', { timeout: 90_000 }, () => {
  it('applies migrations to PostgreSQL once, then reports up to date', async () => {
    const t = await createEmptyDatabase('postgres');
    try {
      const env = { DATABASE_URL: t.url ?? '' };
      expect((await cli(['migrate'], env)).stdout).toContain('applied 20261123115000_initial');
      expect((await cli(['migrate'], env)).stdout).toContain('database is up to date');
      expect((await cli(['migrate', '--status'], env)).stdout).toMatch(
        /^applied {2}20261123115000_initial/m,
      );
    } finally {
      await t.destroy();
    }
  });

  it('migrates the embedded PGlite in the data dir', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'fv-cli-'));
    try {
      expect((await cli(['migrate'], { FIELDVAULT_DATA_DIR: dir })).stdout).toContain('applied');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('names a bad variable and exits 78', async () => {
    const error = await cli(['migrate'], { DATABASE_URL: 'mysql://nope' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 78 });
    expect((error as { stderr: string }).stderr).toContain('DATABASE_URL');
  });
});

describe('fieldvault retention', { timeout: 150_000 }, () => {
  it('apply on the embedded disk store says Object Lock is needed and exits 78; an unknown subcommand exits 64', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'fv-cli-'));
    try {
      const env = { FIELDVAULT_DATA_DIR: dir };
      const refused = await cli(['retention', 'apply'], env).catch((e: unknown) => e);
      expect(refused).toMatchObject({ code: 78 });
      expect((refused as { stderr: string }).stderr).toContain('retention apply needs Object Lock');
      const unknown = await cli(['retention', 'lock'], env).catch((e: unknown) => e);
      expect(unknown).toMatchObject({ code: 64 });
      expect((unknown as { stderr: string }).stderr).toContain('retention apply [--dry-run]');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
