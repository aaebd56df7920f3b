// SQL of device events: idempotent insert by (org, id), the audit seq link, and who uploaded a capture.
import type { Insertable } from 'kysely';
import type { Executor } from '../db/database.js';
import type { DeviceEventsTable } from '../db/schema.js';

/** Insert one event; false when the org already has an event with this id (a re-sent batch). */
export async function insertDeviceEvent(
  db: Executor,
  values: Insertable<DeviceEventsTable>,
): Promise<boolean> {
  const row = await db
    .insertInto('device_events')
    .values(values)
    .onConflict((oc) => oc.columns(['org_id', 'id']).doNothing())
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}

/** Link an ingested event to its audit row. */
export async function setDeviceEventAuditSeq(
  db: Executor,
  target: { orgId: string; id: string; seq: number },
): Promise<void> {
  await db
    .updateTable('device_events')
    .set({ audit_seq: target.seq })
    .where('org_id', '=', target.orgId)
    .where('id', '=', target.id)
    .execute();
}

/** For each capture of the org that has a file row: who uploaded it and the newest file id. */
export async function captureOwners(
  db: Executor,
  where: { orgId: string; captureIds: readonly string[] },
): Promise<Map<string, { uploadedBy: string; fileId: string }>> {
  if (where.captureIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('files')
    .select(['capture_id', 'uploaded_by', 'id'])
    .where('org_id', '=', where.orgId)
    .where('capture_id', 'in', [...new Set(where.captureIds)])
    .orderBy('received_at')
    .execute();
  return new Map(rows.map((r) => [r.capture_id, { uploadedBy: r.uploaded_by, fileId: r.id }]));
}
