// Audit rows written by jobs: the system is the actor (no user, no role), in the file's org chain.
import type { AuditAction } from '@fieldvault/shared/schemas';
import { appendAuditEvent } from '../audit/audit.writer.js';
import type { Tx } from '../db/database.js';
import type { FileRow, JsonValue } from '../db/schema.js';

/** Append a system audit event about `file` inside the transaction making the change. */
export async function auditSystem(
  trx: Tx,
  q: {
    action: AuditAction;
    file: FileRow;
    at: Date;
    details: { [key: string]: JsonValue };
    errorCode?: string;
  },
): Promise<void> {
  await appendAuditEvent(trx, {
    orgId: q.file.org_id,
    at: q.at,
    actor: { userId: null, role: null },
    action: q.action,
    target: { fileId: q.file.id, key: q.file.key, captureId: q.file.capture_id },
    success: q.errorCode === undefined,
    errorCode: q.errorCode ?? null,
    details: q.details,
  });
}
