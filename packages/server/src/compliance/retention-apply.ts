// `fieldvault retention apply`: lock objects stored before Object Lock was switched on, so every file under retention is held by the bucket, not only by the app.
import type { JobDeps } from '../jobs/jobs.types.js';
import type { FileRow } from '../db/schema.js';
import type { Retention, RetentionMode } from '../storage/object-store.js';
import { auditFileEvent } from '../files/file-audit.js';

/** Files fetched per page of the walk, and storage calls in flight at once. */
const PAGE = 200;
const PARALLEL = 8;

/** What one pass found and did (dry run: what it would do). */
export interface RetentionApplyReport {
  mode: RetentionMode;
  dryRun: boolean;
  /** Files under retention or legal hold whose bytes are in storage. */
  examined: number;
  /** Their storage retention already reached the record's retain-until. */
  alreadyLocked: number;
  /** Retention put (or, in a dry run, that would be put). */
  locked: number;
  /** Legal holds mirrored onto objects (idempotent; the hold itself was audited when it was set). */
  holds: number;
  /** Objects storage refused or could not find: each with the reason; nothing else stops the pass. */
  failed: { fileId: string; key: string; error: string }[];
}

/** Refused before any work: the store has no Object Lock mode to apply. */
export class RetentionApplyUnavailable extends Error {}

/** True when storage's retention is absent or ends before `until` (the record's retain-until). */
export function fallsShort(held: Retention | null, until: Date): boolean {
  return !held || held.until.getTime() < until.getTime();
}

type Candidate = Pick<FileRow, 'id' | 'org_id' | 'key' | 'retention_until' | 'legal_hold'>;

/**
 * Walk verified and soft-deleted files (their bytes are in storage) that are under retention or on
 * legal hold, in id order, and give each object what its record says: the configured mode until the
 * record's retain-until when storage holds less, and the legal hold when the record has one.
 * Retention is only ever extended, never shortened. Each object whose retention was extended gets a
 * RETENTION_APPLIED audit event in its org's chain, written after storage accepted the change (a
 * crash in between leaves a locked object without its event; the re-run then finds it locked — the
 * lock is the fact, the event its record). Safe to re-run: a
 * second pass finds everything locked and changes nothing.
 */
export async function applyRetention(
  deps: JobDeps,
  q: { dryRun: boolean; orgId?: string },
): Promise<RetentionApplyReport> {
  const mode = deps.store.capabilities().objectLockMode;
  if (!mode)
    throw new RetentionApplyUnavailable(
      'retention apply needs Object Lock: an s3 bucket created with Object Lock and FIELDVAULT_OBJECT_LOCK_MODE=GOVERNANCE or COMPLIANCE',
    );
  const report: RetentionApplyReport = {
    mode,
    dryRun: q.dryRun,
    examined: 0,
    alreadyLocked: 0,
    locked: 0,
    holds: 0,
    failed: [],
  };
  const now = deps.clock();
  let after = '00000000-0000-0000-0000-000000000000';
  for (;;) {
    const page = await candidatesAfter(deps, { after, now, orgId: q.orgId });
    if (page.length === 0) break;
    after = page[page.length - 1]?.id ?? after;
    report.examined += page.length;
    const changed: { file: Candidate; until: Date; previous: Date | null }[] = [];
    for (let i = 0; i < page.length; i += PARALLEL) {
      const slice = page.slice(i, i + PARALLEL);
      await Promise.all(
        slice.map(async (file) => {
          try {
            const done = await applyOne(deps, { file, mode, now, dryRun: q.dryRun });
            if (file.legal_hold) report.holds += 1;
            if (done.until === null) return;
            if (!done.locked) {
              report.alreadyLocked += 1;
              return;
            }
            report.locked += 1;
            changed.push({ file, until: done.until, previous: done.previous });
          } catch (err) {
            report.failed.push({ fileId: file.id, key: file.key, error: describe(err) });
          }
        }),
      );
    }
    if (!q.dryRun && changed.length > 0) await auditApplied(deps, { changed, mode, now });
  }
  return report;
}

/** The next page of files whose objects should carry retention or a legal hold. */
function candidatesAfter(
  deps: JobDeps,
  q: { after: string; now: Date; orgId: string | undefined },
): Promise<Candidate[]> {
  let query = deps.db
    .selectFrom('files')
    .select(['id', 'org_id', 'key', 'retention_until', 'legal_hold'])
    .where('status', 'in', ['verified', 'deleted'])
    .where('id', '>', q.after)
    .where((eb) => eb.or([eb('retention_until', '>', q.now), eb('legal_hold', '=', true)]));
  if (q.orgId) query = query.where('org_id', '=', q.orgId);
  return query.orderBy('id').limit(PAGE).execute();
}

/** Compare one object's retention with its record and extend it when it falls short. */
async function applyOne(
  deps: JobDeps,
  q: { file: Candidate; mode: RetentionMode; now: Date; dryRun: boolean },
): Promise<{ locked: boolean; until: Date | null; previous: Date | null }> {
  const until =
    q.file.retention_until && q.file.retention_until > q.now ? q.file.retention_until : null;
  const held = until ? await deps.store.getRetention(q.file.key) : null;
  const locked = until !== null && fallsShort(held, until);
  if (!q.dryRun) {
    if (locked) await deps.store.putRetention(q.file.key, { mode: q.mode, until });
    if (q.file.legal_hold) await deps.store.setLegalHold(q.file.key, true);
  }
  return { locked, until, previous: held?.until ?? null };
}

/** One transaction per page: a RETENTION_APPLIED event per object whose retention was extended. */
async function auditApplied(
  deps: JobDeps,
  q: {
    changed: { file: Candidate; until: Date; previous: Date | null }[];
    mode: RetentionMode;
    now: Date;
  },
): Promise<void> {
  const ids = q.changed.map((c) => c.file.id);
  await deps.db.transaction().execute(async (trx) => {
    const rows = await trx.selectFrom('files').selectAll().where('id', 'in', ids).execute();
    const byId = new Map(rows.map((r) => [r.id, r]));
    for (const c of q.changed) {
      const file = byId.get(c.file.id);
      if (!file) continue;
      await auditFileEvent(trx, null, {
        action: 'RETENTION_APPLIED',
        file,
        at: q.now,
        details: {
          mode: q.mode,
          retainUntil: c.until.toISOString(),
          previousRetainUntil: c.previous?.toISOString() ?? null,
          legalHold: c.file.legal_hold,
        },
      });
    }
  });
}

const describe = (err: unknown): string => (err instanceof Error ? err.message : String(err));
