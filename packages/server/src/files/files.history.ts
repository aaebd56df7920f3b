// `files.history`: one file's audit trail for the desk roles, scoped like files.get and keyset-paged by seq.
import { fail } from '@fieldvault/shared/errors';
import {
  FILE_HISTORY_PAGE_DEFAULT,
  fileHistoryInput,
  type FileHistoryEntry,
  type FileHistoryInput,
  type FileHistoryPage,
} from '@fieldvault/shared/schemas';
import { decodeAuditCursor, encodeAuditCursor } from '../audit/audit.cursor.js';
import { listAuditEvents } from '../audit/audit.repository.js';
import { toAuditEvent } from '../audit/audit.service.js';
import type { AuditEventRow } from '../db/schema.js';
import { keysetPage } from '../db/keyset-page.js';
import { findFileInScope } from './files.repository.js';
import { fileScope, type FilesDeps } from './files.service.js';

/**
 * Shared's `files.history` input with the cursor checked against the audit cursor codec (the trail
 * is paged by the audit log's seq), so a forged cursor is refused on `cursor` rather than read as page one.
 */
export const fileHistoryInputChecked = fileHistoryInput.extend({
  cursor: fileHistoryInput.shape.cursor
    .unwrap()
    .refine((c) => decodeAuditCursor(c) !== null, { error: 'Not a cursor from a previous page' })
    .optional(),
});

/** The office view of an audit row: the chain's hashes, org and user agent left out. */
function toHistoryEntry(row: AuditEventRow): FileHistoryEntry {
  const e = toAuditEvent(row);
  return {
    id: e.id,
    seq: e.seq,
    at: e.at,
    deviceAt: e.deviceAt,
    action: e.action,
    actorId: e.actorId,
    actorRole: e.actorRole,
    deviceLabel: e.deviceLabel,
    ip: e.ip,
    success: e.success,
    errorCode: e.errorCode,
    details: e.details,
  };
}

/**
 * One page of a file's audit events, newest first. The file must be one the caller may see (its
 * org): another org's id answers NOT_FOUND exactly like an id that does not exist, so ids cannot be
 * probed and no other org's events are ever read.
 */
export async function fileHistory(
  deps: Pick<FilesDeps, 'db' | 'session'>,
  input: FileHistoryInput,
): Promise<FileHistoryPage> {
  const file = await findFileInScope(deps.db, { scope: fileScope(deps.session), id: input.id });
  if (!file) throw fail.NOT_FOUND('No such file.');
  const limit = input.limit ?? FILE_HISTORY_PAGE_DEFAULT;
  const rows = await listAuditEvents(deps.db, {
    orgId: deps.session.orgId,
    filters: { fileId: file.id },
    beforeSeq: input.cursor ? decodeAuditCursor(input.cursor) : null,
    limit: limit + 1,
  });
  return keysetPage(rows, limit, {
    toItem: toHistoryEntry,
    cursorOf: (row) => encodeAuditCursor(row.seq),
  });
}
