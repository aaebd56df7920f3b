// `fieldvault jobs run|runs` end to end: a real process against a fresh PostgreSQL database and a disk store.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FsObjectStore } from '../storage/index.js';
import { acquireLease } from '../jobs/jobs.repository.js';
import { createTestDatabase, type TestDatabase } from '../test/db.js';
import { runCli } from '../test/cli-runner.js';

describe('fieldvault jobs', () => {
  let t: TestDatabase;
  let dir: string;
  let env: Record<string, string>;
  beforeAll(async () => {
    t = await createTestDatabase('postgres');
    dir = await mkdtemp(path.join(os.tmpdir(), 'fv-cli-jobs-'));
    env = { DATABASE_URL: t.url ?? '', FIELDVAULT_DATA_DIR: dir };
  });
  afterAll(async () => {
    await t.destroy();
    await rm(dir, { recursive: true, force: true });
  });

  it('runs a job, prints the run as JSON, and lists it', async () => {
    const ran = await runCli(['jobs', 'run', 'abort-stale-uploads'], env);
    expect(ran.code).toBe(0);
    const run = JSON.parse(ran.stdout) as { outcome: string; trigger: string; id: string };
    expect(run).toMatchObject({ outcome: 'succeeded', trigger: 'cli' });
    const listed = await runCli(['jobs', 'runs'], env);
    expect(listed.stdout).toContain(run.id);
  });

  it('reconcile prints the JSON report: exit 0 on a clean bucket, 3 once an orphan appears', async () => {
    const clean = await runCli(['reconcile'], env);
    expect(clean.code).toBe(0);
    expect(JSON.parse(clean.stdout)).toMatchObject({ repair: false, counts: { orphan: 0 } });
    const store = await new FsObjectStore({
      kind: 'fs',
      dir: path.join(dir, 'objects'),
      secret: 'x'.repeat(32),
      publicBaseUrl: 'http://127.0.0.1:8080',
    }).init();
    await store.putObject('stray/file.bin', Buffer.from('x'), {
      contentType: 'application/octet-stream',
    });
    const found = await runCli(['reconcile', '--dry-run'], env);
    expect(found.code).toBe(3);
    const report = JSON.parse(found.stdout) as { findings: { kind: string; key: string }[] };
    expect(report.findings).toEqual([
      expect.objectContaining({ kind: 'orphan', key: 'stray/file.bin' }),
    ]);
    expect((await runCli(['reconcile', '--repair', '--dry-run'], env)).code).toBe(64);
  });

  it('refuses an unknown job with exit 64', async () => {
    const out = await runCli(['jobs', 'run', 'nope'], env);
    expect(out.code).toBe(64);
    expect(out.stderr).toContain('abort-stale-uploads');
  });

  it('answers 75 while another replica holds the lease', async () => {
    await acquireLease(t.db, { job: 'abort-stale-uploads', holder: 'elsewhere', ttlMs: 60_000 });
    expect((await runCli(['jobs', 'run', 'abort-stale-uploads'], env)).code).toBe(75);
  });
});
