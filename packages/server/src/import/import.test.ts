// fieldvault import: shared rules refuse bad files, imports are audited and verified, re-runs skip, and a kill -9 mid-import resumes with no duplicates.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DB_KINDS } from '../test/db.js';
import { createHarness, type Harness } from '../test/harness.js';
import { runCli, spawnCli } from '../test/cli-runner.js';
import { createMetrics } from '../metrics.js';
import { jpegBytes } from '../uploads/uploads.test-kit.js';
import { runImport, type ImportOptions } from './import.service.js';

async function tree(files: Record<string, Buffer>): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'fv-import-'));
  for (const [rel, bytes] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, rel)), { recursive: true });
    await writeFile(path.join(dir, rel), bytes);
  }
  return dir;
}

describe.each(DB_KINDS)('import on %s', (kind) => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness(kind);
  });
  afterAll(() => h.destroy());

  async function run(
    dir: string,
    slugOrOrg: Awaited<ReturnType<Harness['seedOrg']>>,
    extra: Partial<ImportOptions> = {},
  ) {
    const { session } = await h.sessionFor(slugOrOrg.users.office);
    const deps = {
      ...h.deps,
      metrics: createMetrics(),
      meta: { ip: null, userAgent: 'test' },
      session,
    };
    return runImport(deps, {
      dir,
      system: 'accounting',
      objectType: 'receipt',
      objectIdFrom: 'path',
      dryRun: false,
      concurrency: 3,
      ...extra,
    });
  }

  it('imports what the rules accept, refuses the rest with reasons, and a second run skips everything', async () => {
    const org = await h.seedOrg(`imp-${kind}`);
    const dir = await tree({
      'exp-1/a.jpg': jpegBytes(2000),
      'exp-1/b.jpg': jpegBytes(3000),
      'exp-2/c.jpg': jpegBytes(1000),
      'exp-2/bad.jpg': Buffer.from('this is not a jpeg at all'),
      'exp-2/tool.exe': Buffer.from('MZ....'),
    });
    try {
      const dry = await run(dir, org, { dryRun: true });
      expect(dry).toMatchObject({ total: 5, imported: 3, skipped: 0, dryRun: true });
      expect(
        await h.deps.db.selectFrom('files').select('id').where('org_id', '=', org.orgId).execute(),
      ).toHaveLength(0);
      const first = await run(dir, org);
      expect(first).toMatchObject({ total: 5, imported: 3, skipped: 0, failed: [] });
      expect(first.refused.map((r) => r.path).sort()).toEqual(['exp-2/bad.jpg', 'exp-2/tool.exe']);
      const rows = await h.deps.db
        .selectFrom('files')
        .select(['status', 'object_id'])
        .where('org_id', '=', org.orgId)
        .orderBy('object_id')
        .execute();
      expect(rows).toEqual([
        { status: 'verified', object_id: 'exp-1' },
        { status: 'verified', object_id: 'exp-1' },
        { status: 'verified', object_id: 'exp-2' },
      ]);
      const audited = await h.deps.db
        .selectFrom('audit_events')
        .select('action')
        .where('org_id', '=', org.orgId)
        .where('action', '=', 'FILE_IMPORTED')
        .execute();
      expect(audited).toHaveLength(3);
      const again = await run(dir, org);
      expect(again).toMatchObject({ imported: 0, skipped: 3 });
      expect(
        await h.deps.db.selectFrom('files').select('id').where('org_id', '=', org.orgId).execute(),
      ).toHaveLength(3);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

// Two real CLI processes plus up to 30 s waiting for the first imports: more than the 30 s default on a loaded CI machine.
describe('import resumes after kill -9 (postgres, real process)', { timeout: 120_000 }, () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness('postgres');
  });
  afterAll(() => h.destroy());

  it('a second run after SIGKILL finishes the rest, with every file exactly once', async () => {
    const org = await h.seedOrg('resume');
    const files: Record<string, Buffer> = {};
    for (let i = 0; i < 40; i++)
      files[`exp-${i % 4}/r${String(i).padStart(2, '0')}.jpg`] = jpegBytes(5000 + i);
    const dir = await tree(files);
    const env = {
      DATABASE_URL: h.test.url ?? '',
      FIELDVAULT_DATA_DIR: h.config.dataDir,
      FIELDVAULT_SECRET: h.config.secret ?? '',
      FIELDVAULT_JOBS: 'off',
    };
    const args = [
      'import',
      dir,
      '--org',
      org.orgId,
      '--as',
      org.users.office.email,
      '--system',
      'accounting',
      '--object-type',
      'receipt',
      '--concurrency',
      '1',
    ];
    try {
      const child = spawnCli(args, env);
      const exited = new Promise((r) => child.on('exit', r));
      const count = async () =>
        Number(
          (
            await h.deps.db
              .selectFrom('import_items')
              .select((eb) => eb.fn.countAll().as('n'))
              .where('org_id', '=', org.orgId)
              .where('state', '=', 'imported')
              .executeTakeFirstOrThrow()
          ).n,
        );
      for (let i = 0; i < 300 && (await count()) < 5; i++)
        await new Promise((r) => setTimeout(r, 100));
      child.kill('SIGKILL');
      await exited;
      const before = await count();
      expect(before).toBeGreaterThanOrEqual(5);
      expect(before).toBeLessThan(40);
      const second = await runCli(args, env);
      expect(second.code, `${second.stderr}\n${second.stdout}`).toBe(0);
      const report = JSON.parse(second.stdout) as {
        imported: number;
        skipped: number;
        refused: unknown[];
      };
      expect(report.imported + report.skipped).toBe(40);
      expect(report.imported).toBeLessThanOrEqual(40 - before + 1);
      const rows = await h.deps.db
        .selectFrom('files')
        .select(['sha256', 'status', 'capture_id'])
        .where('org_id', '=', org.orgId)
        .execute();
      expect(rows).toHaveLength(40);
      expect(new Set(rows.map((r) => r.sha256)).size).toBe(40);
      expect(rows.every((r) => r.status === 'verified')).toBe(true);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
