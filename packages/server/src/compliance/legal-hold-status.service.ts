// A file's legal hold as the desk shows it: held or not, since when and by whom (from the audit log), beside its retention.
import { fail } from '@fieldvault/shared/errors';
import type { LegalHoldStatus, LegalHoldStatusInput } from '@fieldvault/shared/schemas';
import type { Database } from '../db/database.js';
import type { JsonValue } from '../db/schema.js';
import type { SessionInfo } from '../trpc/context.js';
import { fileHold, lastHoldChange } from './legal-hold-status.repository.js';

/** What the status query needs. */
export interface LegalHoldStatusDeps {
  db: Database;
  session: SessionInfo;
}

function reasonOf(details: JsonValue): string | null {
  if (details === null || typeof details !== 'object' || Array.isArray(details)) return null;
  const reason = details.reason;
  return typeof reason === 'string' ? reason : null;
}

/**
 * The hold of one file of the caller's org. The last change comes from the audit log rather than a column,
 * so it is the same record the chain proves; a hold placed outside the app (none today) would show no change.
 */
export async function legalHoldStatus(
  deps: LegalHoldStatusDeps,
  input: LegalHoldStatusInput,
): Promise<LegalHoldStatus> {
  const orgId = deps.session.orgId;
  const file = await fileHold(deps.db, { orgId, id: input.id });
  if (!file) throw fail.NOT_FOUND('No such file.');
  const change = await lastHoldChange(deps.db, { orgId, fileId: file.id });
  return {
    id: file.id,
    legalHold: file.legal_hold,
    retentionUntil: file.retention_until?.toISOString() ?? null,
    lastChange: change
      ? {
          action: change.action === 'LEGAL_HOLD_SET' ? 'set' : 'released',
          at: change.at.toISOString(),
          by:
            change.actor_user_id === null
              ? null
              : { userId: change.actor_user_id, name: change.actor_name ?? 'a removed user' },
          reason: reasonOf(change.details),
        }
      : null,
  };
}
