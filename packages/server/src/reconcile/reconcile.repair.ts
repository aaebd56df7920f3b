// What `reconcile --repair` does per finding: move orphans under orphans/ (never delete), mark missing records, abort stale multiparts, expire stale sessions.
import { isUuid } from '@fieldvault/shared/ids';
import { appendAuditEvent } from '../audit/audit.writer.js';
import type { Database, Tx } from '../db/database.js';
import type { JsonValue } from '../db/schema.js';
import { recordFileEvent } from '../events/events.writer.js';
import { isStorageError } from '../storage/errors.js';
import type { ObjectStore } from '../storage/object-store.js';
import { CLAIM_TIMEOUT_MS } from '../uploads/uploads.service.js';
import { expireSession } from '../uploads/uploads.expire.js';
import {
  markMissing,
  orgExists,
  unfinishedSessions,
  type RecordSlice,
} from './reconcile.repository.js';

/** Where orphans go: the same key under this prefix, so nothing is ever deleted by reconcile. */
export const ORPHANS_PREFIX = 'orphans/';

/** What repairs need. */
export interface RepairDeps {
  db: Database;
  store: ObjectStore;
  now: Date;
}

/** The org a key belongs to (`{org}/…` or `quarantine/{org}/…`), when it names one. */
export function orgOfKey(key: string): string | null {
  const parts = key.split('/');
  const first = parts[0] === 'quarantine' ? parts[1] : parts[0];
  return first && isUuid(first) ? first : null;
}

/** Audit a repair in the org the key or record belongs to (skipped for keys of no existing org). */
async function auditRepair(
  trx: Tx,
  q: {
    orgId: string | null;
    at: Date;
    key: string;
    fileId?: string;
    details: { [k: string]: JsonValue };
  },
): Promise<void> {
  if (!q.orgId || !(await orgExists(trx, q.orgId))) return;
  await appendAuditEvent(trx, {
    orgId: q.orgId,
    at: q.at,
    actor: { userId: null, role: null },
    action: 'RECONCILE_REPAIRED',
    target: { fileId: q.fileId ?? null, key: q.key },
    success: true,
    details: q.details,
  });
}

/** Move an orphan under `orphans/` (copy, then delete the original); returns where it went. */
export async function moveOrphan(deps: RepairDeps, key: string): Promise<string> {
  let target = `${ORPHANS_PREFIX}${key}`;
  try {
    await deps.store.copy(key, target);
  } catch (err) {
    if (!isStorageError(err, 'object_exists')) throw err;
    target = `${ORPHANS_PREFIX}${key}.${deps.now.getTime()}`;
    await deps.store.copy(key, target);
  }
  await deps.store.delete(key);
  await deps.db.transaction().execute((trx) =>
    auditRepair(trx, {
      orgId: orgOfKey(key),
      at: deps.now,
      key,
      details: { finding: 'orphan', movedTo: target },
    }),
  );
  return target;
}

/** Mark a record whose object is gone `missing`, with its audit row and `file.missing` event in one transaction. */
export async function markRecordMissing(deps: RepairDeps, record: RecordSlice): Promise<string> {
  return deps.db.transaction().execute(async (trx) => {
    const row = await markMissing(trx, record.id);
    if (!row) return `left as ${record.status}`;
    await auditRepair(trx, {
      orgId: row.org_id,
      at: deps.now,
      key: row.key,
      fileId: row.id,
      details: { finding: 'missing', previousStatus: record.status },
    });
    await recordFileEvent(trx, { type: 'file.missing', file: row, at: deps.now });
    return 'marked missing';
  });
}

/** Abort a multipart upload nobody will complete. */
export async function abortStaleMultipart(
  deps: RepairDeps,
  upload: { key: string; uploadId: string },
): Promise<string> {
  await deps.store.abortMultipart(upload.key, upload.uploadId);
  await deps.db.transaction().execute((trx) =>
    auditRepair(trx, {
      orgId: orgOfKey(upload.key),
      at: deps.now,
      key: upload.key,
      details: { finding: 'stale_multipart', uploadId: upload.uploadId },
    }),
  );
  return 'aborted';
}

/** Expire the sessions of a stale pending file (UPLOAD_ABORTED each, storage cleaned). */
export async function failStalePending(deps: RepairDeps, record: RecordSlice): Promise<string> {
  const staleClaim = deps.now.getTime() - CLAIM_TIMEOUT_MS;
  let expired = 0;
  for (const upload of await unfinishedSessions(deps.db, record.id)) {
    if (upload.expires_at > deps.now) continue;
    if (upload.state === 'completing' && (upload.claimed_at?.getTime() ?? 0) >= staleClaim)
      continue;
    if (await expireSession(deps, upload)) expired++;
  }
  return `expired ${expired} session(s)`;
}
