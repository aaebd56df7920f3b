// One audit row about one file, in the file's org chain: by a signed-in user (their session and request) or by the system (jobs).
import type { AuditAction } from '@fieldvault/shared/schemas';
import { appendAuditEvent } from '../audit/audit.writer.js';
import type { Tx } from '../db/database.js';
import type { FileRow, JsonValue } from '../db/schema.js';
import type { RequestMeta, SessionInfo } from '../trpc/context.js';

export interface FileAuditEvent {
  action: AuditAction;
  file: FileRow;
  at: Date;
  details: { [key: string]: JsonValue };
  /** Set when the step failed; the row is then recorded with success false. */
  errorCode?: string;
}

/** Who acted: a user's session and request, or `null` for the system (no user, no role). */
export type FileAuditActor = { session: SessionInfo; meta: RequestMeta } | null;

/** Append `event` inside the transaction making the change it records. */
export async function auditFileEvent(
  trx: Tx,
  by: FileAuditActor,
  event: FileAuditEvent,
): Promise<void> {
  await appendAuditEvent(trx, {
    orgId: event.file.org_id,
    at: event.at,
    ...(by
      ? {
          actor: { userId: by.session.userId, role: by.session.role },
          ip: by.meta.ip,
          userAgent: by.meta.userAgent,
          deviceLabel: by.session.deviceLabel,
        }
      : { actor: { userId: null, role: null } }),
    action: event.action,
    target: { fileId: event.file.id, key: event.file.key, captureId: event.file.capture_id },
    success: event.errorCode === undefined,
    errorCode: event.errorCode ?? null,
    details: event.details,
  });
}
