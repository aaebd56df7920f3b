// Reconcile on the disk store, PGlite and PostgreSQL: every seeded drift found exactly, repairs idempotent, org scoping, jobs.run.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DB_KINDS } from '../test/db.js';
import { createHarness, type Harness } from '../test/harness.js';
import { reconcileScenario, runReconcile } from './reconcile.scenario.js';
import { findingKeys, seedDrift } from './reconcile.test-kit.js';

describe.each(DB_KINDS)('reconcile on %s (fs)', (kind) => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness(kind);
  });
  afterAll(() => h.destroy());

  it('finds each seeded drift exactly, repairs it once, and a second repair changes nothing', async () => {
    await reconcileScenario(h, h.deps.store, `recon-${kind}`);
  });

  it("an org's run never reports another org's keys; a run over every org finds both", async () => {
    const a = await h.seedOrg(`ra-${kind}`);
    const b = await h.seedOrg(`rb-${kind}`);
    const seed = (org: typeof a) =>
      seedDrift(h.deps, {
        orgId: org.orgId,
        userId: org.users.field.id,
        now: h.clock.now(),
        listsContentType: true,
      });
    const [da, db] = [await seed(a), await seed(b)];
    const onlyA = await runReconcile(h, { store: h.deps.store, orgId: a.orgId, repair: false });
    expect(findingKeys(onlyA)).toEqual(da.expected);
    const all = await runReconcile(h, { store: h.deps.store, orgId: null, repair: false });
    const keys = findingKeys(all);
    for (const f of [...da.expected, ...db.expected]) expect(keys).toContain(f);
  });

  it('jobs.run reconcile records the report in the run', async () => {
    const org = await h.seedOrg(`rj-${kind}`);
    const drift = await seedDrift(h.deps, {
      orgId: org.orgId,
      userId: org.users.field.id,
      now: h.clock.now(),
      listsContentType: true,
    });
    const admin = h.caller((await h.sessionFor(org.users.admin)).session);
    const out = await admin.jobs.run({ job: 'reconcile' });
    if (out.state !== 'ran') throw new Error('busy');
    expect(findingKeys(out.run.report as { findings: { kind: string; key: string }[] })).toEqual(
      drift.expected,
    );
    expect(out.run.counts.orphan).toBe(2);
  });
});
