// SQL behind a file's legal hold status: the file's hold and retention, and the last hold change in the audit log.
import type { Executor } from '../db/database.js';

/** The file's hold and retention date, in `orgId` only (another org's file reads as absent). */
export function fileHold(db: Executor, q: { orgId: string; id: string }) {
  return db
    .selectFrom('files')
    .select(['id', 'legal_hold', 'retention_until'])
    .where('org_id', '=', q.orgId)
    .where('id', '=', q.id)
    .executeTakeFirst();
}

/** The newest successful LEGAL_HOLD_SET / LEGAL_HOLD_RELEASED event of the file, with the actor's name. */
export function lastHoldChange(db: Executor, q: { orgId: string; fileId: string }) {
  return db
    .selectFrom('audit_events as a')
    .leftJoin('users as u', 'u.id', 'a.actor_user_id')
    .select(['a.action', 'a.at', 'a.actor_user_id', 'u.name as actor_name', 'a.details'])
    .where('a.org_id', '=', q.orgId)
    .where('a.target_file_id', '=', q.fileId)
    .where('a.action', 'in', ['LEGAL_HOLD_SET', 'LEGAL_HOLD_RELEASED'])
    .where('a.success', '=', true)
    .orderBy('a.seq', 'desc')
    .limit(1)
    .executeTakeFirst();
}
