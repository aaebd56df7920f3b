// The fault-injection soak (issue 9): the real engine against the real server through fault proxies; every run's invariants must hold.
import { IDBFactory } from 'fake-indexeddb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBackend, putBytesSent, type SoakBackend } from './backend';
import { checkInvariants, isClean, ZERO_COUNTS, type Snapshot } from './checker';
import { soakConfig } from './config';
import { FaultPlan } from './faults';
import { duplicateCaptureIds, takeSnapshot } from './invariants';
import { buildReport, writeReport, type BackendCheck, type RunRecord } from './report';
import { createRng, subSeed } from './rng';
import { drawSizes, soakRun } from './run';
import { backendChecks, seededViolation } from './backend-checks';

const config = soakConfig();
const records: RunRecord[] = [];
const checks: BackendCheck[] = [];
const started = Date.now();
process.stdout.write(`soak seed ${config.seed} (replay: ${config.command})\n`);

/** Captures that did not end well, with what the server holds for them (for the failure message). */
function unfinished(snap: Snapshot): string[] {
  return snap.captures
    .filter((c) => c.state !== 'done' && c.size > 0)
    .map((c) => {
      const rows = snap.files.filter((f) => f.captureId === c.captureId).map((f) => f.status);
      return `${c.captureId} ${c.size} B: device ${c.state} (${c.error ?? 'no error'}), server [${rows.join(', ')}]`;
    });
}

async function runOnce(b: SoakBackend, run: number): Promise<RunRecord> {
  const seed = subSeed(config.seed, `${b.backend}:${run}`);
  const rng = createRng(seed);
  b.plan = new FaultPlan(seed, config.faults);
  const stats = { failedCalls: 0 };
  const [sentBefore, killsBefore, t0] = [putBytesSent(b), b.server.kills, Date.now()];
  const sizes = drawSizes(rng, config.sizes);
  const outcome = await soakRun(
    {
      rng,
      plan: b.plan,
      net: b.net,
      device: { ...b.device, factory: new IDBFactory() },
      stats,
      ensureServer: () => b.server.ensureUp(),
      crashChance: config.crashChance,
    },
    { sizes, faultRounds: config.faultRounds },
  );
  const snapshot = await takeSnapshot({ outbox: outcome.proc.outbox, db: b.db, store: b.store });
  const counts = checkInvariants(snapshot);
  const done = snapshot.captures.filter((c) => c.state === 'done').length;
  const refused = snapshot.captures.filter(
    (c) => c.size === 0 && c.state === 'needs-attention',
  ).length;
  counts.duplicated += await duplicateCaptureIds(b.db);
  outcome.proc.outbox.close();
  return {
    backend: b.backend,
    run,
    seed,
    captures: sizes.length,
    verified: done,
    refused,
    bytesCaptured: outcome.bytesCaptured,
    bytesSent: putBytesSent(b) - sentBefore,
    faults: { ...b.plan.injected },
    serverKills: b.server.kills - killsBefore,
    deviceCrashes: outcome.crashes,
    retries: stats.failedCalls,
    timesToVerified: outcome.timesToVerified,
    counts,
    ms: Date.now() - t0,
    ...(isClean(counts) ? {} : { trail: outcome.trail, unfinished: unfinished(snapshot) }),
  };
}

describe.each(config.runs.filter((r) => r.count > 0))('soak on $backend', ({ backend, count }) => {
  let b: SoakBackend | undefined;
  const get = () => {
    if (!b) throw new Error('backend did not start');
    return b;
  };
  beforeAll(async () => {
    b = await openBackend(backend, String(config.seed));
  }, 300_000);
  afterAll(async () => {
    await b?.close();
  }, 60_000);

  for (let run = 0; run < count; run++) {
    if (config.only !== null && run !== config.only) continue;
    it(`run ${run}: every capture verified once with the device's SHA-256, or still queued with its bytes`, async () => {
      const record = await runOnce(get(), run);
      records.push(record);
      const why = `replay: ${config.command} --only ${run} (run seed ${record.seed}); ${JSON.stringify({ trail: record.trail, unfinished: record.unfinished })}`;
      expect(record.counts, why).toEqual(ZERO_COUNTS);
    }, 600_000);
  }

  it('after reconcile --repair: no record without an object, no object without a record outside orphans/, no content-type drift; the audit chain verifies', async () => {
    const results = await backendChecks(get());
    checks.push(...results);
    for (const c of results) expect(c.ok, `${c.name}: ${c.detail}`).toBe(true);
  }, 300_000);

  it('the checkers catch a seeded violation: a verified file whose object was deleted counts as lost', async () => {
    const { counts, reconcileMissing } = await seededViolation(get());
    expect(counts).toEqual({ ...ZERO_COUNTS, lost: 1 });
    expect(reconcileMissing).toBe(1);
  }, 120_000);
});

afterAll(() => {
  const report = buildReport({ ...config, runs: records, checks, wallMs: Date.now() - started });
  writeReport(report, config.reportFile);
});
