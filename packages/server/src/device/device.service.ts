// Ingests events the device recorded offline into `device_events` and the audit chain, once per event id, with skew flagged.
import { fail } from '@fieldvault/shared/errors';
import type {
  DeviceEvent,
  DeviceEventBatch,
  DeviceEventsPushOutput,
} from '@fieldvault/shared/schemas';
import { appendAuditEvent } from '../audit/audit.writer.js';
import type { Database, Tx } from '../db/database.js';
import type { JsonValue } from '../db/schema.js';
import type { Clock, RequestMeta, SessionInfo } from '../trpc/context.js';
import { captureOwners, insertDeviceEvent, setDeviceEventAuditSeq } from './device.repository.js';

/** Device time this far ahead of the server's is flagged as clock skew. */
export const SKEW_LIMIT_MS = 5 * 60_000;

export interface DeviceDeps {
  db: Database;
  clock: Clock;
  meta: RequestMeta;
  session: SessionInfo;
}

/**
 * Skew is measured as device time minus server time. Events recorded offline are legitimately in the
 * past (hours or days), so only an event from the *future* — more than {@link SKEW_LIMIT_MS} ahead —
 * proves the device clock is wrong and is flagged. (A `sentAt` on the shared `deviceEventBatch`
 * would let us measure the clock offset itself.)
 */
export function deviceSkew(deviceAt: Date, now: Date): { skewMs: number; flagged: boolean } {
  const skewMs = deviceAt.getTime() - now.getTime();
  return { skewMs, flagged: skewMs > SKEW_LIMIT_MS };
}

/** Refuse events about captures another user uploaded (the device only reports its own). */
async function assertOwnCaptures(deps: DeviceDeps, events: readonly DeviceEvent[]) {
  const owners = await captureOwners(deps.db, {
    orgId: deps.session.orgId,
    captureIds: events.map((e) => e.captureId),
  });
  events.forEach((e, i) => {
    const owner = owners.get(e.captureId);
    if (owner && owner.uploadedBy !== deps.session.userId) {
      throw fail.FORBIDDEN(`events.${i}.captureId: this capture was uploaded by another user`, {
        details: { field: `events.${i}.captureId` },
      });
    }
  });
  return owners;
}

/** The audit row of a newly ingested event: device time and server time, skew, and the device's own details. */
async function auditDeviceEvent(
  trx: Tx,
  deps: DeviceDeps,
  args: { event: DeviceEvent; now: Date; fileId: string | null },
): Promise<number> {
  const { event } = args;
  const deviceAt = new Date(event.capturedAt);
  const { skewMs, flagged } = deviceSkew(deviceAt, args.now);
  const details: { [key: string]: JsonValue } = {
    eventId: event.id,
    kind: event.kind,
    skewMs,
    skewFlagged: flagged,
  };
  if (event.sha256) details.sha256 = event.sha256;
  if (event.details) details.device = event.details;
  const row = await appendAuditEvent(trx, {
    orgId: deps.session.orgId,
    at: args.now,
    deviceAt,
    actor: { userId: deps.session.userId, role: deps.session.role },
    ip: deps.meta.ip,
    userAgent: deps.meta.userAgent,
    deviceLabel: event.deviceLabel,
    action: 'DEVICE_EVENT',
    target: { fileId: args.fileId, captureId: event.captureId },
    success: true,
    details,
  });
  return row.seq;
}

/** Ingest one event (no-op when already ingested); returns whether it was new. */
async function ingest(
  trx: Tx,
  deps: DeviceDeps,
  args: { event: DeviceEvent; now: Date; fileId: string | null },
): Promise<boolean> {
  const { event, now } = args;
  const deviceAt = new Date(event.capturedAt);
  const { skewMs, flagged } = deviceSkew(deviceAt, now);
  const inserted = await insertDeviceEvent(trx, {
    org_id: deps.session.orgId,
    id: event.id,
    user_id: deps.session.userId,
    device_label: event.deviceLabel,
    kind: event.kind,
    capture_id: event.captureId,
    sha256: event.sha256 ?? null,
    device_at: deviceAt,
    received_at: now,
    skew_ms: skewMs,
    skew_flagged: flagged,
    details: event.details ?? {},
  });
  if (!inserted) return false;
  const seq = await auditDeviceEvent(trx, deps, args);
  await setDeviceEventAuditSeq(trx, { orgId: deps.session.orgId, id: event.id, seq });
  return true;
}

/** Ingest a batch in one transaction: each new event id once into `device_events` and the audit chain. */
export async function pushDeviceEvents(
  deps: DeviceDeps,
  batch: DeviceEventBatch,
): Promise<DeviceEventsPushOutput> {
  const owners = await assertOwnCaptures(deps, batch.events);
  const now = deps.clock();
  return deps.db.transaction().execute(async (trx) => {
    const out: DeviceEventsPushOutput = { accepted: 0, duplicates: 0, skewFlagged: [] };
    for (const event of batch.events) {
      const fileId = owners.get(event.captureId)?.fileId ?? null;
      if (!(await ingest(trx, deps, { event, now, fileId }))) {
        out.duplicates++;
        continue;
      }
      out.accepted++;
      if (deviceSkew(new Date(event.capturedAt), now).flagged) out.skewFlagged.push(event.id);
    }
    return out;
  });
}
