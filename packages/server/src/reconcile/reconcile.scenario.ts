// The reconcile scenario both backends run: seeded drift found exactly, repair applied once and idempotent, nothing deleted.
import { expect } from 'vitest';
import type { ReconcileReport } from '@fieldvault/shared/schemas';
import type { Harness } from '../test/harness.js';
import type { ObjectStore } from '../storage/object-store.js';
import { reconcile } from './reconcile.service.js';
import { findingKeys, seedDrift } from './reconcile.test-kit.js';

/** Run reconcile for one org (or all) with the harness's collaborators and `store`. */
export async function runReconcile(
  h: Harness,
  q: { store: ObjectStore; orgId: string | null; repair: boolean },
): Promise<ReconcileReport> {
  const out = await reconcile({
    ...h.deps,
    store: q.store,
    signal: new AbortController().signal,
    orgId: q.orgId,
    repair: q.repair,
    all: false,
  });
  return out.report;
}

/** Seed drift in a fresh org, then check detection, repair and idempotency. */
export async function reconcileScenario(
  h: Harness,
  store: ObjectStore,
  slug: string,
): Promise<void> {
  h.clock.advance(Date.now() + 2 * 86_400_000 - h.clock.now().getTime());
  const org = await h.seedOrg(slug);
  const deps = { db: h.deps.db, store };
  const drift = await seedDrift(deps, {
    orgId: org.orgId,
    userId: org.users.field.id,
    now: h.clock.now(),
    listsContentType: store.capabilities().backend === 'fs',
  });
  const dry = await runReconcile(h, { store, orgId: org.orgId, repair: false });
  expect(findingKeys(dry)).toEqual(drift.expected);
  expect(dry.findings.every((f) => f.repaired === null)).toBe(true);

  const repaired = await runReconcile(h, { store, orgId: org.orgId, repair: true });
  expect(findingKeys(repaired)).toEqual(drift.expected);
  expect(repaired.repairErrors).toBe(0);
  const statuses = await h.deps.db
    .selectFrom('files')
    .select('status')
    .where('id', 'in', drift.missingIds)
    .execute();
  expect(statuses.map((s) => s.status)).toEqual(['missing', 'missing']);
  for (const k of drift.orphanKeys) {
    expect(await store.head(k)).toBeNull();
    expect(await store.head(`orphans/${k}`)).not.toBeNull();
  }

  // What repair cannot change (drift, a deleted record's lost object) is still reported; the rest is gone.
  const after = await runReconcile(h, { store, orgId: org.orgId, repair: true });
  const left = drift.expected.filter((f) => /^(size_drift|content_type_drift) /.test(f));
  expect(after.counts.orphan + after.counts.stale_multipart + after.counts.stale_pending).toBe(0);
  expect(after.counts.missing).toBe(1);
  expect(
    after.findings
      .filter((f) => f.kind !== 'missing')
      .map((f) => `${f.kind} ${f.key}`)
      .sort(),
  ).toEqual(left);
  const moved = [];
  for await (const o of store.list(`orphans/`)) if (o.key.includes(org.orgId)) moved.push(o.key);
  expect(moved.sort()).toEqual(drift.orphanKeys.map((k) => `orphans/${k}`).sort());
  const events = await h.deps.db
    .selectFrom('file_events')
    .select('type')
    .where('org_id', '=', org.orgId)
    .execute();
  expect(events.filter((e) => e.type === 'file.missing')).toHaveLength(2);
  const caller = h.caller((await h.sessionFor(org.users.admin)).session);
  expect((await caller.audit.verify()).ok).toBe(true);
}
