// Legal holds: an admin places or lifts one on a file of their org, audited; a held file is never purged.
import { fail } from '@fieldvault/shared/errors';
import type { LegalHoldInput, LegalHoldResult } from '@fieldvault/shared/schemas';
import { appendAuditEvent } from '../audit/audit.writer.js';
import type { Database } from '../db/database.js';
import type { ObjectStore } from '../storage/object-store.js';
import type { Clock, RequestMeta, SessionInfo } from '../trpc/context.js';
import { setLegalHold } from './compliance.repository.js';
import { applyLegalHold } from './object-lock.js';

/** What the legal hold procedure needs. */
export interface LegalHoldDeps {
  db: Database;
  store: ObjectStore;
  clock: Clock;
  meta: RequestMeta;
  session: SessionInfo;
}

/**
 * Set or clear the hold (LEGAL_HOLD_SET / LEGAL_HOLD_RELEASED); the same state again changes nothing.
 * With Object Lock on, the object's legal hold is set before the change commits, so a storage
 * failure leaves the record as it was.
 */
export async function changeLegalHold(
  deps: LegalHoldDeps,
  input: LegalHoldInput,
): Promise<LegalHoldResult> {
  const at = deps.clock();
  return deps.db.transaction().execute(async (trx) => {
    const file = await trx
      .selectFrom('files')
      .selectAll()
      .where('org_id', '=', deps.session.orgId)
      .where('id', '=', input.id)
      .forUpdate()
      .executeTakeFirst();
    if (!file) throw fail.NOT_FOUND('No such file.');
    if (file.legal_hold === input.hold)
      return { id: file.id, legalHold: file.legal_hold, changed: false };
    const row = await setLegalHold(trx, { id: file.id, hold: input.hold });
    await applyLegalHold(deps.store, row);
    await appendAuditEvent(trx, {
      orgId: row.org_id,
      at,
      actor: { userId: deps.session.userId, role: deps.session.role },
      ip: deps.meta.ip,
      userAgent: deps.meta.userAgent,
      deviceLabel: deps.session.deviceLabel,
      action: input.hold ? 'LEGAL_HOLD_SET' : 'LEGAL_HOLD_RELEASED',
      target: { fileId: row.id, key: row.key, captureId: row.capture_id },
      success: true,
      details: input.reason ? { reason: input.reason } : {},
    });
    return { id: row.id, legalHold: row.legal_hold, changed: true };
  });
}
