// Issue 9: the fault-injection soak in Chromium — the real PWA saves and syncs seeded captures through the soak's fault proxies
// on the fs and Ceph S3 backends, with server kills and browser SIGKILLs, and the soak's invariants are checked against
// the DB, the stored bytes and IndexedDB.
import { mkdtempSync, rmSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import pg from 'pg';
import { backendChecks, seededViolation } from '../soak/backend-checks';
import { isClean, ZERO_COUNTS } from '../soak/checker';
import { openChromiumBackend, type ChromiumBackend } from '../soak/chromium/backend';
import { BrowserDevice } from '../soak/chromium/browser-device';
import { chromiumRun, chromiumSoakConfig } from '../soak/chromium/run';
import { PG_URL, type Backend } from '../soak/server-process';
import { REPO_ROOT } from '../support/server-env';

const config = chromiumSoakConfig();

/** The command that replays run `index` on `backend` (every run draws from its own sub-seed). */
const replay = (backend: Backend, index: number) =>
  `SOAK_CHROMIUM_SEED=${config.seed}` +
  ['RUNS', 'S3_RUNS', 'PROFILE', 'KILLS']
    .map((name) => `SOAK_CHROMIUM_${name}`)
    .filter((name) => process.env[name])
    .map((name) => ` ${name}=${process.env[name]}`)
    .join('') +
  ` pnpm e2e soak-chromium -g '${backend} backend.*run ${index}/'`;

async function postgresUp(): Promise<boolean> {
  const client = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 5_000 });
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

// Serial: the after-runs checks read this worker's backend and totals, so a failed run ends the group
// (Playwright skips the rest and retries the whole group) instead of leaving them nothing to check.
for (const { backend: kind, count: runs } of config.runs.filter((r) => r.count > 0))
  test.describe.serial(`soak in Chromium (${kind} backend)`, () => {
    let backend: ChromiumBackend | null = null;
    const totals = {
      runs: 0,
      captures: 0,
      crashes: 0,
      serverKills: 0,
      faults: {} as Record<string, number>,
    };

    test.beforeAll(async () => {
      test.setTimeout(120_000);
      console.log(`Chromium soak on ${kind}: seed ${config.seed}, ${runs} runs`);
      // `pnpm test` starts PostgreSQL; without it the soak cannot count anything, so it fails and says why.
      if (!(await postgresUp()))
        throw new Error(`PostgreSQL unreachable at ${PG_URL}: start it (pnpm test does)`);
      backend = await openChromiumBackend(kind, 'chromium');
    });

    test.afterAll(async () => {
      // Emptying the bucket and stopping the server can take a while on a loaded 2-core box.
      test.setTimeout(120_000);
      console.log(
        `Chromium soak totals on ${kind} (seed ${config.seed}): ${JSON.stringify(totals)}`,
      );
      await backend?.close();
    });

    for (let index = 1; index <= runs; index++) {
      test(`run ${index}/${runs}: captures saved in the app survive faults, server kills and a browser crash`, async () => {
        // Fault window (8–15 s) + drain (150 s) + launches and a crash on a loaded 2-core box.
        test.setTimeout(360_000);
        if (!backend) throw new Error('no backend');
        const dir = mkdtempSync(path.join(REPO_ROOT, '.tmp', 'soak-chromium-'));
        const device = new BrowserDevice(backend.origin);
        test.info().annotations.push({ type: 'replay', description: replay(kind, index) });
        try {
          await device.signIn();
          const outcome = await chromiumRun({ backend, device, dir }, config, index);
          totals.runs++;
          totals.captures += outcome.sizes.length;
          totals.crashes += outcome.crashed ? 1 : 0;
          totals.serverKills += outcome.serverKills;
          for (const [kind, n] of Object.entries(outcome.injected))
            totals.faults[kind] = (totals.faults[kind] ?? 0) + n;
          const summary = {
            sizes: outcome.sizes,
            crashed: outcome.crashed,
            scheduledKill: outcome.scheduledKill,
            serverKills: outcome.serverKills,
            faults: outcome.injected,
            counts: outcome.counts,
          };
          console.log(`run ${index}: ${JSON.stringify(summary)}`);
          const detail = isClean(outcome.counts)
            ? ''
            : `\nseed ${config.seed}, run ${index}; replay: ${replay(kind, index)}\n` +
              `device: ${JSON.stringify(outcome.snapshot.captures)}\nserver: ${JSON.stringify(outcome.snapshot.files)}\n` +
              `retries: ${JSON.stringify(outcome.retries)}`;
          expect(outcome.counts, detail).toEqual(ZERO_COUNTS);
        } catch (error) {
          console.log(
            `Chromium soak failed: seed ${config.seed}, run ${index}; replay: ${replay(kind, index)}`,
          );
          throw error;
        } finally {
          await device.dispose();
          rmSync(dir, { recursive: true, force: true });
        }
      });
    }

    test('after the runs: reconcile --repair leaves no missing object or stray one, the audit chain verifies, and a deleted object is caught', async () => {
      test.setTimeout(180_000);
      expect(totals.runs, 'runs checked on this backend before these checks').toBe(runs);
      if (!backend) throw new Error('no backend');
      await backend.serverUp();
      for (const check of await backendChecks(backend))
        expect.soft(check.ok, `${check.name}: ${check.detail}`).toBe(true);
      // The checker can fail: one verified object deleted counts as lost, and reconcile sees it missing.
      const { counts, reconcileMissing } = await seededViolation(backend);
      expect(counts.lost).toBe(1);
      expect(reconcileMissing).toBe(1);
    });
  });
