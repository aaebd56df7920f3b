// `fieldvault` end to end: a real process against a fresh PostgreSQL database and a fresh PGlite data dir (migrate, retention).
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../test/cli-runner.js';
import { createEmptyDatabase } from '../test/db.js';

/** stdout of a run that must succeed. */
async function ok(args: string[], env: Record<string, string>): Promise<string> {
  const out = await runCli(args, env);
  expect(out.code, out.stderr).toBe(0);
  return out.stdout;
}

// Each test starts real CLI processes (plain node on the run's bundle, under a second each; PGlite's start is slower).
describe('fieldvault migrate', { timeout: 90_000 }, () => {
  it('applies migrations to PostgreSQL once, then reports up to date', async () => {
    const t = await createEmptyDatabase('postgres');
    try {
      const env = { DATABASE_URL: t.url ?? '' };
      expect(await ok(['migrate'], env)).toContain('applied 20261123115000_initial');
      expect(await ok(['migrate'], env)).toContain('database is up to date');
      expect(await ok(['migrate', '--status'], env)).toMatch(/^applied {2}20261123115000_initial/m);
    } finally {
      await t.destroy();
    }
  });

  it('migrates the embedded PGlite in the data dir', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'fv-cli-'));
    try {
      expect(await ok(['migrate'], { FIELDVAULT_DATA_DIR: dir })).toContain('applied');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('names a bad variable and exits 78', async () => {
    const error = await runCli(['migrate'], { DATABASE_URL: 'mysql://nope' });
    expect(error.code).toBe(78);
    expect(error.stderr).toContain('DATABASE_URL');
  });
});

describe('fieldvault retention', { timeout: 150_000 }, () => {
  it('apply on the embedded disk store says Object Lock is needed and exits 78; an unknown subcommand exits 64', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'fv-cli-'));
    try {
      const env = { FIELDVAULT_DATA_DIR: dir };
      const refused = await runCli(['retention', 'apply'], env);
      expect(refused.code).toBe(78);
      expect(refused.stderr).toContain('retention apply needs Object Lock');
      const unknown = await runCli(['retention', 'lock'], env);
      expect(unknown.code).toBe(64);
      expect(unknown.stderr).toContain('retention apply [--dry-run]');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
