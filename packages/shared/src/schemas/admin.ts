// The admin desk's operational picture: storage usage against the quota, health, recent failed uploads.
import { z } from 'zod';
import { isoDateTime, sha256Hex, uuid } from './common.js';

/** Warn at this share of the quota (the seed runbook's first threshold)… */
export const QUOTA_WARNING_RATIO = 0.8;
/** …and call it critical at this one. */
export const QUOTA_CRITICAL_RATIO = 0.95;

/** `admin.usage`: growth over the last `days` days (default 30). */
export const adminUsageInput = z
  .strictObject({ days: z.number().int().min(1).max(365).optional() })
  .optional();
/** `admin.usage` input. */
export type AdminUsageInput = z.infer<typeof adminUsageInput>;

const countBytes = {
  count: z.number().int().nonnegative(),
  bytes: z.number().int().nonnegative(),
};

/**
 * Stored bytes of the admin's org — files whose bytes are in storage (verified, mismatch and
 * soft-deleted) — in total, per system/object type and per status; daily growth (files received
 * per UTC day, zero days included, oldest first); the quota (`FIELDVAULT_QUOTA_BYTES`, per org) with
 * `level`: `none` (no quota), `ok`, `warning` (≥ 80 %) or `critical` (≥ 95 %).
 */
export const adminUsage = z.strictObject({
  org: z.strictObject({ orgId: uuid, orgName: z.string(), ...countBytes }),
  byType: z.array(z.strictObject({ system: z.string(), objectType: z.string(), ...countBytes })),
  byStatus: z.array(z.strictObject({ status: z.string(), ...countBytes })),
  growth: z.array(z.strictObject({ day: z.iso.date(), ...countBytes })),
  quota: z.strictObject({
    bytes: z.number().int().positive().nullable(),
    usedRatio: z.number().nonnegative().nullable(),
    level: z.enum(['none', 'ok', 'warning', 'critical']),
    warningRatio: z.number(),
    criticalRatio: z.number(),
  }),
});
/** The answer to `admin.usage`. */
export type AdminUsage = z.infer<typeof adminUsage>;

/** One health check: whether it passed, how long it took, and why not. */
const check = z.strictObject({
  ok: z.boolean(),
  ms: z.number().nonnegative(),
  error: z.string().nullable(),
});

/** The last run of one job (from the scheduler's `job_runs`). */
export const jobRunSummary = z.strictObject({
  job: z.string(),
  startedAt: isoDateTime,
  finishedAt: isoDateTime.nullable(),
  outcome: z.string(),
  error: z.string().nullable(),
  counts: z.record(z.string(), z.json()),
});

/**
 * `admin.health`: database and storage round trips now, audit write failures since this server
 * process started (any one is CRITICAL), and the last run of each job (this org's or installation-wide).
 */
export const adminHealth = z.strictObject({
  ok: z.boolean(),
  checkedAt: isoDateTime,
  database: check,
  storage: check,
  auditWriteFailures: z.number().int().nonnegative(),
  jobs: z.array(jobRunSummary),
});
/** The answer to `admin.health`. */
export type AdminHealth = z.infer<typeof adminHealth>;

/** `admin.failedUploads`: newest first, at most `limit` (default 50), optionally only since a time. */
export const adminFailedUploadsInput = z
  .strictObject({
    limit: z.number().int().min(1).max(100).optional(),
    since: isoDateTime.optional(),
  })
  .optional();
/** `admin.failedUploads` input. */
export type AdminFailedUploadsInput = z.infer<typeof adminFailedUploadsInput>;

/**
 * One upload that did not end verified: `mismatch` (stored bytes hashed differently; the device
 * keeps its copy), `expired` (not completed within 24 hours) or `aborted` (given up by the device).
 */
export const failedUpload = z.strictObject({
  sessionId: uuid,
  kind: z.enum(['mismatch', 'expired', 'aborted']),
  reason: z.string(),
  at: isoDateTime,
  fileId: uuid,
  captureId: uuid,
  filename: z.string(),
  objectId: z.string(),
  size: z.number().int().nonnegative(),
  uploadedBy: uuid,
  deviceLabel: z.string().nullable(),
  expectedSha256: sha256Hex,
  actualSha256: sha256Hex.nullable(),
});
/** One failed upload. */
export type FailedUpload = z.infer<typeof failedUpload>;

/** The answer to `admin.failedUploads`. */
export const adminFailedUploads = z.strictObject({ items: z.array(failedUpload) });
/** The answer to `admin.failedUploads`. */
export type AdminFailedUploads = z.infer<typeof adminFailedUploads>;

/** `compliance.legalHoldStatus`: one file's legal hold (admins and auditors; another org's id is "not found"). */
export const legalHoldStatusInput = z.strictObject({ id: uuid });
/** `compliance.legalHoldStatus` input. */
export type LegalHoldStatusInput = z.infer<typeof legalHoldStatusInput>;

/**
 * A file's legal hold as it stands, with its last change from the audit log (who placed or released it,
 * when, and why) — null when the hold was never touched — and the retention date it sits beside.
 */
export const legalHoldStatus = z.strictObject({
  id: uuid,
  legalHold: z.boolean(),
  retentionUntil: isoDateTime.nullable(),
  lastChange: z
    .strictObject({
      action: z.enum(['set', 'released']),
      at: isoDateTime,
      by: z.strictObject({ userId: uuid, name: z.string() }).nullable(),
      reason: z.string().nullable(),
    })
    .nullable(),
});
/** A file's legal hold as it stands. */
export type LegalHoldStatus = z.infer<typeof legalHoldStatus>;
