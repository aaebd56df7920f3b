// The admin desk's operational picture: usage against the quota, health checks, and uploads that failed — always the admin's own org.
import {
  QUOTA_CRITICAL_RATIO,
  QUOTA_WARNING_RATIO,
  type AdminFailedUploads,
  type AdminFailedUploadsInput,
  type AdminHealth,
  type AdminUsage,
  type AdminUsageInput,
  type FailedUpload,
} from '@fieldvault/shared/schemas';
import { pingDatabase, type Database } from '../db/database.js';
import type { JsonValue } from '../db/schema.js';
import type { Metrics } from '../metrics.js';
import { probeStorage } from '../storage/probe.js';
import type { ObjectStore } from '../storage/object-store.js';
import type { Clock, SessionInfo } from '../trpc/context.js';
import {
  failedSessions,
  lastJobRuns,
  receivedPerDay,
  usageByStatus,
  usageByType,
  type CountBytes,
} from './ops.repository.js';

export interface OpsDeps {
  db: Database;
  store: ObjectStore;
  clock: Clock;
  metrics: Metrics;
  session: SessionInfo;
  /** Per-org quota in bytes (FIELDVAULT_QUOTA_BYTES). */
  quotaBytes?: number | undefined;
}

const DAY_MS = 24 * 3600_000;

/** The quota verdict for `used` bytes. */
export function quotaLevel(used: number, quota: number | undefined): AdminUsage['quota'] {
  const base = { warningRatio: QUOTA_WARNING_RATIO, criticalRatio: QUOTA_CRITICAL_RATIO };
  if (!quota) return { ...base, bytes: null, usedRatio: null, level: 'none' };
  const usedRatio = used / quota;
  const level =
    usedRatio >= QUOTA_CRITICAL_RATIO
      ? 'critical'
      : usedRatio >= QUOTA_WARNING_RATIO
        ? 'warning'
        : 'ok';
  return { ...base, bytes: quota, usedRatio, level };
}

/** `days` UTC days ending today, oldest first, zero-filled from the per-day counts. */
function growthSeries(perDay: Map<string, CountBytes>, q: { now: Date; days: number }) {
  const out: AdminUsage['growth'] = [];
  for (let i = q.days - 1; i >= 0; i--) {
    const day = new Date(q.now.getTime() - i * DAY_MS).toISOString().slice(0, 10);
    out.push({ day, ...(perDay.get(day) ?? { count: 0, bytes: 0 }) });
  }
  return out;
}

/** Stored bytes of the admin's org in total, by type and status, daily growth, and the quota. */
export async function usage(deps: OpsDeps, input: AdminUsageInput): Promise<AdminUsage> {
  const orgId = deps.session.orgId;
  const days = input?.days ?? 30;
  const now = deps.clock();
  const firstDay = new Date(
    `${new Date(now.getTime() - (days - 1) * DAY_MS).toISOString().slice(0, 10)}T00:00:00.000Z`,
  );
  const byType = await usageByType(deps.db, orgId);
  const byStatus = await usageByStatus(deps.db, orgId);
  const perDay = await receivedPerDay(deps.db, { orgId, from: firstDay });
  const total = byType.reduce((t, r) => ({ count: t.count + r.count, bytes: t.bytes + r.bytes }), {
    count: 0,
    bytes: 0,
  });
  return {
    org: { orgId, orgName: deps.session.orgName, ...total },
    byType,
    byStatus,
    growth: growthSeries(perDay, { now, days }),
    quota: quotaLevel(total.bytes, deps.quotaBytes),
  };
}

/** Run a check, timing it; a failure is reported, never thrown. */
async function timed(check: () => Promise<unknown>): Promise<AdminHealth['database']> {
  const started = performance.now();
  try {
    await check();
    return { ok: true, ms: Math.round(performance.now() - started), error: null };
  } catch (err) {
    const error = err instanceof Error ? err.message : String(err);
    return { ok: false, ms: Math.round(performance.now() - started), error };
  }
}

/** Database and storage round trips, audit write failures, the last run of each job. */
export async function health(deps: OpsDeps): Promise<AdminHealth> {
  const database = await timed(() => pingDatabase(deps.db));
  const storage = await timed(() => probeStorage(deps.store, { timeoutMs: 3_000 }));
  const failures = (await deps.metrics.auditWriteFailures.get()).values[0]?.value ?? 0;
  const runs = database.ok ? await lastJobRuns(deps.db, deps.session.orgId) : [];
  return {
    ok: database.ok && storage.ok && failures === 0,
    checkedAt: deps.clock().toISOString(),
    database,
    storage,
    auditWriteFailures: failures,
    jobs: runs.map((r) => ({
      job: r.job,
      startedAt: r.started_at.toISOString(),
      finishedAt: r.finished_at?.toISOString() ?? null,
      outcome: r.outcome,
      error: r.error,
      counts: isRecord(r.counts) ? r.counts : {},
    })),
  };
}

function isRecord(v: JsonValue): v is { [key: string]: JsonValue } {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

type SessionRow = Awaited<ReturnType<typeof failedSessions>>[number];

/** Why a session failed, in words an admin can act on. */
function describe(row: SessionRow): Pick<FailedUpload, 'kind' | 'reason'> {
  if (row.actual_sha256) {
    return {
      kind: 'mismatch',
      reason:
        'The stored bytes hash differently from the device’s SHA-256; they were quarantined and the device keeps its copy.',
    };
  }
  if (row.state === 'aborted')
    return { kind: 'aborted', reason: 'The device gave up this upload.' };
  return { kind: 'expired', reason: 'Not completed within 24 hours of being begun.' };
}

/** Recent uploads of the admin's org that did not end verified, newest first, with reasons. */
export async function failedUploads(
  deps: OpsDeps,
  input: AdminFailedUploadsInput,
): Promise<AdminFailedUploads> {
  const rows = await failedSessions(deps.db, {
    orgId: deps.session.orgId,
    now: deps.clock(),
    since: input?.since ? new Date(input.since) : null,
    limit: input?.limit ?? 50,
  });
  return {
    items: rows.map((r) => ({
      sessionId: r.session_id,
      ...describe(r),
      at: (r.state === 'open' ? r.expires_at : r.updated_at).toISOString(),
      fileId: r.file_id,
      captureId: r.capture_id,
      filename: r.original_filename,
      objectId: r.object_id,
      size: r.size,
      uploadedBy: r.uploaded_by,
      deviceLabel: r.device_label,
      expectedSha256: r.sha256,
      actualSha256: r.actual_sha256,
    })),
  };
}
