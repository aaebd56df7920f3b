// SQL of group-committed `complete`: claim many open sessions in one statement, record many verified verdicts in another.
import { sql, type RawBuilder } from 'kysely';
import type { Executor } from '../db/database.js';
import type { FileRow, UploadSessionRow } from '../db/schema.js';

/** Every column of a file row, so a statement can return one beside another table's row under prefixed names. */
const FILE_COLUMNS = Object.keys({
  id: 1,
  org_id: 1,
  key: 1,
  capture_id: 1,
  system: 1,
  object_type: 1,
  object_id: 1,
  original_filename: 1,
  safe_filename: 1,
  size: 1,
  content_type: 1,
  sha256: 1,
  status: 1,
  duplicate_of: 1,
  uploaded_by: 1,
  device_label: 1,
  captured_at: 1,
  received_at: 1,
  verified_at: 1,
  deleted_at: 1,
  deleted_by: 1,
  deleted_from: 1,
  retention_until: 1,
  meta: 1,
  receipt_date: 1,
  version: 1,
  purged_at: 1,
  legal_hold: 1,
  last_checked_at: 1,
} satisfies Record<keyof FileRow, 1>) as (keyof FileRow)[];
const PREFIX = 'file__';

/** One session to claim: scoped to the org and, for a field user, to their own file (`uploadedBy`). */
export interface OpenClaim {
  id: string;
  orgId: string;
  uploadedBy: string | null;
  now: Date;
}

/** A claimed session, its file, and the org's retention override for the file's type (null: none). */
export interface ClaimedSession {
  upload: UploadSessionRow;
  file: FileRow;
  retentionYears: number | null;
}

/**
 * Claim open, unexpired sessions in one statement (`open` → `completing`, each at its own `now`),
 * like `claimOpenSession` for many: the rows claimed with their files and the org's retention
 * override for each file's type (read here so the verdict need not). Sessions not claimable that way
 * are absent. Rows are locked in session-id order, so two such statements cannot deadlock.
 */
export async function claimOpenSessions(
  db: Executor,
  claims: readonly OpenClaim[],
): Promise<ClaimedSession[]> {
  if (claims.length === 0) return [];
  const values = valuesInLockOrder(
    claims,
    (c) => c.id,
    (c) => sql`(${c.id}::uuid, ${c.orgId}::uuid, ${c.uploadedBy}::uuid, ${c.now}::timestamptz)`,
  );
  const fileColumns = sql.join(
    FILE_COLUMNS.map((c) => sql`f.${sql.id(c)} as ${sql.id(PREFIX + c)}`),
  );
  const { rows } = await sql<Record<string, unknown>>`
    update upload_sessions s
       set state = 'completing', claimed_at = c.now, updated_at = c.now
      from files f, (values ${values}) as c (id, org_id, uploaded_by, now)
     where s.id = c.id and s.org_id = c.org_id and s.state = 'open' and s.expires_at > c.now
       and f.id = s.file_id and f.org_id = c.org_id
       and (c.uploaded_by is null or f.uploaded_by = c.uploaded_by)
    returning s.*, ${fileColumns},
      (select r.years from org_retention r
        where r.org_id = f.org_id and r.system = f.system and r.object_type = f.object_type
      ) as retention_years
  `.execute(db);
  return rows.map((row) => {
    const upload: Record<string, unknown> = {};
    const file: Record<string, unknown> = {};
    for (const [column, value] of Object.entries(row)) {
      if (column.startsWith(PREFIX)) file[column.slice(PREFIX.length)] = value;
      else if (column !== 'retention_years') upload[column] = value;
    }
    const years = row.retention_years;
    return {
      upload: upload as unknown as UploadSessionRow,
      file: file as unknown as FileRow,
      retentionYears: years == null ? null : Number(years),
    };
  });
}

/**
 * The rows of a `VALUES` list, sorted by the session id each locks: statements that lock sessions in id
 * order cannot deadlock one another.
 */
function valuesInLockOrder<T>(
  items: readonly T[],
  sessionId: (item: T) => string,
  row: (item: T) => RawBuilder<unknown>,
): RawBuilder<unknown> {
  const byId = (a: T, b: T) =>
    sessionId(a) < sessionId(b) ? -1 : sessionId(a) > sessionId(b) ? 1 : 0;
  return sql.join([...items].sort(byId).map(row));
}

/** A verified verdict to record: the session, the claim that must still hold, when, and the retention. */
export interface VerifiedVerdict {
  sessionId: string;
  claimedAt: Date;
  now: Date;
  retentionUntil: Date | null;
}

/** A file row as a verdict left it, with the session and claim that recorded it. */
export type VerifiedFile = FileRow & { session_id: string; session_claimed_at: Date };

/**
 * Record verified verdicts in one statement: each session still `completing` under its claim becomes
 * `completed`, and its file `verified` with the retention given and its duplicate link (the oldest
 * other verified file of the org with the same bytes, as `findVerifiedDuplicate` finds it). Returns
 * the files written; a verdict whose claim was taken over writes nothing and is absent.
 */
export async function recordVerifiedVerdicts(
  db: Executor,
  verdicts: readonly VerifiedVerdict[],
): Promise<VerifiedFile[]> {
  if (verdicts.length === 0) return [];
  const values = valuesInLockOrder(
    verdicts,
    (v) => v.sessionId,
    (v) =>
      sql`(${v.sessionId}::uuid, ${v.claimedAt}::timestamptz, ${v.now}::timestamptz, ${v.retentionUntil}::timestamptz)`,
  );
  const { rows } = await sql<VerifiedFile>`
    with v (session_id, claimed_at, now, retention_until) as (values ${values}),
    done as (
      update upload_sessions u
         set state = 'completed', updated_at = v.now, actual_sha256 = null
        from v
       where u.id = v.session_id and u.state = 'completing' and u.claimed_at = v.claimed_at
      returning u.id, u.file_id, v.claimed_at, v.now, v.retention_until
    )
    update files f
       set status = 'verified',
           verified_at = done.now,
           retention_until = done.retention_until,
           version = f.version + 1,
           duplicate_of = coalesce(f.duplicate_of, (
             select d.id from files d
              where d.org_id = f.org_id and d.sha256 = f.sha256 and d.status = 'verified'
                and d.capture_id <> f.capture_id
              order by d.received_at limit 1))
      from done
     where f.id = done.file_id
    returning f.*, done.id as session_id, done.claimed_at as session_claimed_at
  `.execute(db);
  return [...rows];
}
