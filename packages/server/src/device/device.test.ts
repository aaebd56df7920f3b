// device.pushEvents on PGlite and PostgreSQL: ingested once by id into device_events and the audit chain, skew flagged, ownership.
import { randomUUID } from 'node:crypto';
import type { DeviceEvent } from '@fieldvault/shared/schemas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findChainBreak } from '../audit/audit.chain.js';
import { DB_KINDS } from '../test/db.js';
import { expectCode } from '../test/expect-error.js';
import { createHarness, type Harness } from '../test/harness.js';
import { deviceSkew, SKEW_LIMIT_MS } from './device.service.js';

type Org = Awaited<ReturnType<Harness['seedOrg']>>;

function event(overrides: Partial<DeviceEvent> = {}): DeviceEvent {
  return {
    id: randomUUID(),
    capturedAt: '2026-03-01T06:00:00.000Z',
    kind: 'captured',
    captureId: randomUUID(),
    deviceLabel: 'Pixel 8',
    ...overrides,
  };
}

describe('deviceSkew', () => {
  const now = new Date('2026-03-01T09:00:00.000Z');
  it('flags device time more than 5 minutes ahead; past events (recorded offline) are not skew', () => {
    expect(deviceSkew(new Date(now.getTime() + SKEW_LIMIT_MS + 1), now).flagged).toBe(true);
    expect(deviceSkew(new Date(now.getTime() + SKEW_LIMIT_MS), now).flagged).toBe(false);
    expect(deviceSkew(new Date(now.getTime() - 3 * 86_400_000), now)).toEqual({
      skewMs: -3 * 86_400_000,
      flagged: false,
    });
  });
});

describe.each(DB_KINDS)('device.pushEvents on %s', (kind) => {
  let h: Harness;
  let org: Org;
  let other: Org;
  beforeAll(async () => {
    h = await createHarness(kind);
    org = await h.seedOrg('a');
    other = await h.seedOrg('b');
  });
  afterAll(async () => {
    await h.destroy();
  });
  const callerFor = async (user: Org['users'][keyof Org['users']]) =>
    h.caller((await h.sessionFor(user)).session);

  it('ingests each event once into device_events and the audit chain, with device and server time', async () => {
    const field = await callerFor(org.users.field);
    const offline = event({ sha256: 'a'.repeat(64), details: { note: 'taken in the basement' } });
    const edited = event({
      kind: 'edited',
      captureId: offline.captureId,
      capturedAt: '2026-03-01T06:05:00.000Z',
    });
    expect(await field.device.pushEvents({ events: [offline, edited] })).toEqual({
      accepted: 2,
      duplicates: 0,
      skewFlagged: [],
    });
    // The device did not hear the answer and sends the batch again, plus a new event.
    const discarded = event({ kind: 'discarded', capturedAt: '2026-03-01T06:10:00.000Z' });
    expect(await field.device.pushEvents({ events: [offline, edited, discarded] })).toEqual({
      accepted: 1,
      duplicates: 2,
      skewFlagged: [],
    });

    const rows = await h.test.db
      .selectFrom('device_events')
      .selectAll()
      .where('org_id', '=', org.orgId)
      .orderBy('device_at')
      .execute();
    expect(rows.map((r) => r.id)).toEqual([offline.id, edited.id, discarded.id]);
    const first = rows[0];
    expect(first).toMatchObject({
      user_id: org.users.field.id,
      device_label: 'Pixel 8',
      kind: 'captured',
      sha256: 'a'.repeat(64),
      skew_flagged: false,
    });
    expect(first?.device_at.toISOString()).toBe(offline.capturedAt);
    expect(first?.received_at.toISOString()).toBe(h.clock.now().toISOString());
    expect(first?.skew_ms).toBe(-3 * 3600_000);

    const audit = await h.test.db
      .selectFrom('audit_events')
      .selectAll()
      .where('org_id', '=', org.orgId)
      .where('action', '=', 'DEVICE_EVENT')
      .orderBy('seq')
      .execute();
    expect(audit).toHaveLength(3);
    expect(audit[0]).toMatchObject({
      actor_user_id: org.users.field.id,
      actor_role: 'field',
      device_label: 'Pixel 8',
      capture_id: offline.captureId,
      seq: first?.audit_seq,
    });
    expect(audit[0]?.device_at?.toISOString()).toBe(offline.capturedAt);
    expect(audit[0]?.at.toISOString()).toBe(h.clock.now().toISOString());
    expect(audit[0]?.details).toMatchObject({
      eventId: offline.id,
      kind: 'captured',
      skewFlagged: false,
      device: { note: 'taken in the basement' },
    });
    const chain = await h.test.db
      .selectFrom('audit_events')
      .selectAll()
      .where('org_id', '=', org.orgId)
      .orderBy('seq')
      .execute();
    expect(findChainBreak(chain)).toBeNull();
  });

  it('concurrent pushes of one batch ingest each event once', async () => {
    const office = await callerFor(org.users.office);
    const batch = { events: [event(), event(), event()] };
    const outs = await Promise.all(
      Array.from({ length: 8 }, () => office.device.pushEvents(batch)),
    );
    expect(outs.reduce((n, o) => n + o.accepted, 0)).toBe(3);
    const captures = batch.events.map((e) => e.captureId);
    const audit = await h.test.db
      .selectFrom('audit_events')
      .select('id')
      .where('org_id', '=', org.orgId)
      .where('action', '=', 'DEVICE_EVENT')
      .where('capture_id', 'in', captures)
      .execute();
    expect(audit).toHaveLength(3);
  });

  it('flags clock skew: an event more than 5 minutes in the future', async () => {
    const field = await callerFor(org.users.field);
    const ahead = event({
      capturedAt: new Date(h.clock.now().getTime() + 20 * 60_000).toISOString(),
    });
    const fine = event({ capturedAt: new Date(h.clock.now().getTime() + 60_000).toISOString() });
    expect(await field.device.pushEvents({ events: [ahead, fine] })).toEqual({
      accepted: 2,
      duplicates: 0,
      skewFlagged: [ahead.id],
    });
    const row = await h.test.db
      .selectFrom('device_events')
      .selectAll()
      .where('id', '=', ahead.id)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ skew_flagged: true, skew_ms: 20 * 60_000 });
    const audit = await h.test.db
      .selectFrom('audit_events')
      .selectAll()
      .where('seq', '=', row.audit_seq ?? -1)
      .where('org_id', '=', org.orgId)
      .executeTakeFirstOrThrow();
    expect(audit.details).toMatchObject({ skewFlagged: true, skewMs: 20 * 60_000 });
  });

  it("refuses events about another user's capture; the same ids in another org are that org's own", async () => {
    const captureId = randomUUID();
    await h.test.db
      .insertInto('files')
      .values({
        org_id: org.orgId,
        key: `${org.orgId}/accounting/receipt/x/2026/03/${captureId}-r.jpg`,
        capture_id: captureId,
        system: 'accounting',
        object_type: 'receipt',
        object_id: 'x',
        original_filename: 'r.jpg',
        safe_filename: 'r.jpg',
        size: 1,
        content_type: 'image/jpeg',
        sha256: 'b'.repeat(64),
        uploaded_by: org.users.office.id,
        captured_at: '2026-03-01T06:00:00.000Z',
      })
      .execute();
    const field = await callerFor(org.users.field);
    const before = await h.test.db.selectFrom('device_events').select('id').execute();
    const error = await expectCode(
      field.device.pushEvents({ events: [event(), event({ captureId })] }),
      'FORBIDDEN',
    );
    expect(error.message).toContain('events.1.captureId');
    expect(await h.test.db.selectFrom('device_events').select('id').execute()).toEqual(before);

    const office = await callerFor(org.users.office);
    const shared = event({ captureId });
    expect((await office.device.pushEvents({ events: [shared] })).accepted).toBe(1);
    const audit = await h.test.db
      .selectFrom('audit_events')
      .select(['target_file_id'])
      .where('capture_id', '=', captureId)
      .executeTakeFirstOrThrow();
    expect(audit.target_file_id).not.toBeNull();
    // Another org pushing the same event id is a different event (ids are per org).
    const foreign = await callerFor(other.users.field);
    expect((await foreign.device.pushEvents({ events: [{ ...shared }] })).accepted).toBe(1);
  });

  it.each([
    ['events', { events: [] }],
    ['events.0.deviceLabel', { events: [event({ deviceLabel: ' ' })] }],
    ['events.0.capturedAt', { events: [event({ capturedAt: 'yesterday' })] }],
    ['events.0.kind', { events: [event({ kind: 'exploded' as DeviceEvent['kind'] })] }],
    ['events.0.sha256', { events: [event({ sha256: 'XYZ' })] }],
  ])('bad %s → BAD_INPUT naming it, nothing written', async (field, batch) => {
    const caller = await callerFor(org.users.field);
    const count = async () =>
      (await h.test.db.selectFrom('device_events').select('id').execute()).length;
    const before = await count();
    const error = await expectCode(caller.device.pushEvents(batch), 'BAD_INPUT');
    expect(Object.keys(error.data.fieldErrors ?? {})).toContain(field);
    expect(await count()).toBe(before);
  });
});
