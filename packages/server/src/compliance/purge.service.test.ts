// One purge rule for files.purge and the purge job (disk store, PGlite and PostgreSQL): the same tombstone, audit row and event, the same refusals.
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Role } from '../db/schema.js';
import { seedFile } from '../files/files.test-kit.js';
import { DB_KINDS } from '../test/db.js';
import { expectCode } from '../test/expect-error.js';
import { createHarness, type Harness } from '../test/harness.js';
import { runBody } from './compliance.test-kit.js';
import { purge } from './purge.job.js';

const DAY = 86_400_000;
type Org = Awaited<ReturnType<Harness['seedOrg']>>;

describe.each(DB_KINDS)('purge semantics on %s', (kind) => {
  let h: Harness;
  let org: Org;
  beforeAll(async () => {
    h = await createHarness(kind);
    org = await h.seedOrg('purge-rule');
  });
  afterAll(async () => {
    await h.destroy();
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });

  const as = async (role: Role) => h.caller((await h.sessionFor(org.users[role])).session);
  /** A soft-deleted file with bytes, deleted long enough ago for the job. */
  const deletedFile = async (o: { hold?: boolean; captureId?: string } = {}) => {
    const f = await seedFile(h.deps, {
      orgId: org.orgId,
      uploadedBy: org.users.field.id,
      status: 'deleted',
      bytes: new TextEncoder().encode(`bytes ${Math.random()}`),
      ...(o.captureId ? { captureId: o.captureId } : {}),
    });
    return h.deps.db
      .updateTable('files')
      .set({
        deleted_at: new Date(h.clock.now().getTime() - 100 * DAY),
        legal_hold: o.hold ?? false,
      })
      .where('id', '=', f.id)
      .returningAll()
      .executeTakeFirstOrThrow();
  };
  const rowOf = (id: string) =>
    h.deps.db.selectFrom('files').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const trailOf = async (id: string) => ({
    audit: await h.deps.db
      .selectFrom('audit_events')
      .select(['action', 'success', 'error_code', 'actor_user_id', 'details'])
      .where('target_file_id', '=', id)
      .orderBy('seq')
      .execute(),
    events: (
      await h.deps.db
        .selectFrom('file_events')
        .select('type')
        .where('file_id', '=', id)
        .orderBy('seq')
        .execute()
    ).map((e) => e.type),
  });

  it('files.purge and the purge job leave the same tombstone, audit row and event', async () => {
    const byAdmin = await deletedFile();
    const byJob = await deletedFile();
    await (await as('admin')).files.purge({ id: byAdmin.id });
    expect((await runBody(h, purge, { orgId: org.orgId })).counts).toMatchObject({ purged: 1 });
    for (const f of [byAdmin, byJob]) {
      const row = await rowOf(f.id);
      expect(row).toMatchObject({ status: 'purged', purged_at: h.clock.now(), sha256: f.sha256 });
      expect(await h.deps.store.head(f.key)).toBeNull();
      const trail = await trailOf(f.id);
      expect(trail.audit).toEqual([
        expect.objectContaining({ action: 'FILE_PURGED', success: true, error_code: null }),
      ]);
      expect(trail.audit[0]?.details).toMatchObject({
        sha256: f.sha256,
        size: f.size,
        filename: f.original_filename,
        status: 'deleted',
      });
      expect(trail.events).toEqual(['file.purged']);
    }
    expect((await trailOf(byAdmin.id)).audit[0]?.actor_user_id).toBe(org.users.admin.id);
    expect((await trailOf(byJob.id)).audit[0]?.actor_user_id).toBeNull();
  });

  it('the audit row and tombstone commit with the object delete: a storage failure leaves neither (job and procedure)', async () => {
    const f = await deletedFile();
    vi.spyOn(h.deps.store, 'purge').mockRejectedValue(new Error('storage down'));
    expect((await runBody(h, purge, { orgId: org.orgId })).counts).toMatchObject({ failed: 1 });
    await expectCode((await as('admin')).files.purge({ id: f.id }), 'INTERNAL');
    expect((await rowOf(f.id)).status).toBe('deleted');
    expect(await trailOf(f.id)).toEqual({ audit: [], events: [] });
    expect(await h.deps.store.head(f.key)).not.toBeNull();
    vi.restoreAllMocks();
    expect((await runBody(h, purge, { orgId: org.orgId })).counts).toMatchObject({ purged: 1 });
  });

  it('a legal hold blocks both: files.purge answers RETENTION_LOCKED (audited), the job counts it held', async () => {
    const f = await deletedFile({ hold: true });
    const refusal = await expectCode(
      (await as('admin')).files.purge({ id: f.id }),
      'RETENTION_LOCKED',
    );
    expect(refusal.data.details).toEqual({ legalHold: true });
    expect((await runBody(h, purge, { orgId: org.orgId })).counts).toMatchObject({
      held: 1,
      purged: 0,
    });
    expect((await rowOf(f.id)).status).toBe('deleted');
    expect((await trailOf(f.id)).audit).toEqual([
      expect.objectContaining({
        action: 'FILE_PURGED',
        success: false,
        error_code: 'RETENTION_LOCKED',
        details: { legalHold: true },
      }),
    ]);
  });

  it('a mismatch record whose capture was uploaded again is purged beside the live record', async () => {
    const evidence = await seedFile(h.deps, {
      orgId: org.orgId,
      uploadedBy: org.users.field.id,
      status: 'mismatch',
    });
    const live = await seedFile(h.deps, {
      orgId: org.orgId,
      uploadedBy: org.users.field.id,
      captureId: evidence.capture_id,
    });
    const admin = await as('admin');
    const first = await admin.files.purge({ id: evidence.id });
    expect(await rowOf(evidence.id)).toMatchObject({ status: 'purged', deleted_at: h.clock.now() });
    expect((await rowOf(live.id)).status).toBe('verified');
    h.clock.advance(1000);
    // Purging again answers the first purge and writes nothing more.
    expect(await admin.files.purge({ id: evidence.id })).toEqual(first);
    expect((await trailOf(evidence.id)).audit).toHaveLength(1);
  });
});
