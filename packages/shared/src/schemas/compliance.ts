// Compliance and operations messages: background jobs and their runs (reconcile, rehash, purge, …), legal holds, certificates.
import { z } from 'zod';
import { isoDateTime, objectTypeName, refineObjectType, systemName, uuid } from './common.js';

/** Every background job; each runs on a schedule, from the CLI and from `jobs.run`. */
export const jobName = z.enum([
  'reconcile',
  'rehash',
  'purge',
  'abort-stale-uploads',
  'checkpoint',
]);
/** A background job. */
export type JobName = z.infer<typeof jobName>;

/** How a run ended (`running` while it is under way). */
export const jobOutcome = z.enum(['running', 'succeeded', 'failed']);
/** How a run ended. */
export type JobOutcome = z.infer<typeof jobOutcome>;

/** One run of a job. `orgId` null: a run over every org (scheduled or CLI); `report` only for the caller's own org. */
export const jobRun = z.strictObject({
  id: uuid,
  job: jobName,
  orgId: uuid.nullable(),
  trigger: z.enum(['schedule', 'manual', 'cli']),
  holder: z.string(),
  startedAt: isoDateTime,
  finishedAt: isoDateTime.nullable(),
  outcome: jobOutcome,
  counts: z.record(z.string(), z.number()),
  report: z.json().nullable(),
  error: z.string().nullable(),
});
/** One run of a job. */
export type JobRun = z.infer<typeof jobRun>;

/** `jobs.runs`: the newest runs first, optionally of one job. */
export const jobRunsInput = z
  .strictObject({
    job: jobName.optional(),
    limit: z.number().int().min(1).max(100).optional(),
  })
  .optional();
/** `jobs.runs` input. */
export type JobRunsInput = z.infer<typeof jobRunsInput>;

/** `jobs.run`: run a job now for the caller's org; `repair` applies to reconcile, `all` to rehash (every file, not the daily sample). */
export const jobRunInput = z.strictObject({
  job: jobName,
  repair: z.boolean().optional(),
  all: z.boolean().optional(),
});
/** `jobs.run` input. */
export type JobRunInput = z.infer<typeof jobRunInput>;

/** The answer to `jobs.run`: the run, or `busy` when another replica holds the job right now. */
export const jobRunResult = z.discriminatedUnion('state', [
  z.strictObject({ state: z.literal('ran'), run: jobRun }),
  z.strictObject({ state: z.literal('busy') }),
]);
/** The answer to `jobs.run`. */
export type JobRunResult = z.infer<typeof jobRunResult>;

/** What reconcile can find between the database and the bucket. */
export const reconcileKind = z.enum([
  'orphan',
  'missing',
  'size_drift',
  'content_type_drift',
  'stale_pending',
  'stale_multipart',
]);
/** What reconcile can find. */
export type ReconcileKind = z.infer<typeof reconcileKind>;

/** One difference between the database and the bucket, and what `--repair` did about it. */
export const reconcileFinding = z.strictObject({
  kind: reconcileKind,
  key: z.string(),
  fileId: uuid.nullable(),
  /** The record's value (size, content type, status) where it differs. */
  expected: z.union([z.string(), z.number()]).nullable(),
  /** What storage holds. */
  actual: z.union([z.string(), z.number()]).nullable(),
  /** Multipart upload id (stale_multipart). */
  uploadId: z.string().nullable(),
  /** What the repair did (`moved to orphans/…`, `marked missing`, `aborted`, …), null on a dry run. */
  repaired: z.string().nullable(),
});
/** One reconcile finding. */
export type ReconcileFinding = z.infer<typeof reconcileFinding>;

/** Findings kept in one report; counts are always complete. */
export const RECONCILE_FINDINGS_MAX = 1000;

/** The JSON report of one reconcile run. */
export const reconcileReport = z.strictObject({
  orgId: uuid.nullable(),
  repair: z.boolean(),
  /** Objects listed and records read. */
  objects: z.number().int().nonnegative(),
  records: z.number().int().nonnegative(),
  counts: z.record(reconcileKind, z.number().int().nonnegative()),
  findings: z.array(reconcileFinding),
  /** True when more than {@link RECONCILE_FINDINGS_MAX} findings were found (the rest only counted). */
  truncated: z.boolean(),
  /** Repairs that failed (e.g. storage refused the move of a locked object). */
  repairErrors: z.number().int().nonnegative(),
});
/** The JSON report of one reconcile run. */
export type ReconcileReport = z.infer<typeof reconcileReport>;

/** `compliance.legalHold`: place (`hold: true`) or lift a legal hold on a file; a held file is never purged. */
export const legalHoldInput = z.strictObject({
  id: uuid,
  hold: z.boolean(),
  reason: z.string().trim().min(1, { error: 'Required' }).max(500).optional(),
});
/** `compliance.legalHold` input. */
export type LegalHoldInput = z.infer<typeof legalHoldInput>;

/** The answer to `compliance.legalHold`: the file's hold as it now stands. */
export const legalHoldResult = z.strictObject({
  id: uuid,
  legalHold: z.boolean(),
  changed: z.boolean(),
});
/** The answer to `compliance.legalHold`. */
export type LegalHoldResult = z.infer<typeof legalHoldResult>;

/** `compliance.certificate`: one file, or files captured between `from` and `to` (optionally of one system). */
export const certificateInput = z
  .strictObject({
    fileId: uuid.optional(),
    from: isoDateTime.optional(),
    to: isoDateTime.optional(),
    system: z.string().min(1).max(64).optional(),
  })
  .refine((v) => v.fileId !== undefined || (v.from !== undefined && v.to !== undefined), {
    error: 'Give a fileId, or from and to',
    path: ['fileId'],
  });
/** `compliance.certificate` input. */
export type CertificateInput = z.infer<typeof certificateInput>;

/** The signed certificate (JSON, verifiable offline) and its printable HTML. */
export const certificateOutput = z.strictObject({ certificate: z.json(), html: z.string() });
/** The answer to `compliance.certificate`. */
export type CertificateOutput = z.infer<typeof certificateOutput>;

/** One retention rule as an org sees it: the catalogue's default years and the org's override, if any. */
export const orgRetentionRule = z.strictObject({
  system: systemName,
  objectType: objectTypeName,
  defaultYears: z.number().int().nonnegative(),
  overrideYears: z.number().int().nonnegative().nullable(),
});
/** One retention rule of an org. */
export type OrgRetentionRule = z.infer<typeof orgRetentionRule>;

/** `compliance.retention.set`: an org's own retention for one object type (`years: null` removes the override). */
export const orgRetentionSetInput = refineObjectType(
  z.strictObject({
    system: systemName,
    objectType: objectTypeName,
    years: z.number().int().min(0).max(100).nullable(),
  }),
);
/** `compliance.retention.set` input. */
export type OrgRetentionSetInput = z.infer<typeof orgRetentionSetInput>;

/** `compliance.retention.list`: every catalogue type, or one system's. */
export const orgRetentionListInput = z.strictObject({ system: systemName.optional() }).optional();
/** `compliance.retention.list` input. */
export type OrgRetentionListInput = z.infer<typeof orgRetentionListInput>;
