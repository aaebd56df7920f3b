// Streamed CSV export of an org's audit log (audit.list's filters), with the chain columns so it can be checked offline; itself audited.
import { Readable } from 'node:stream';
import type { AuditListFilters } from '@fieldvault/shared/schemas';
import type { Database } from '../db/database.js';
import type { AuditEventRow, JsonValue } from '../db/schema.js';
import type { Clock, RequestMeta, SessionInfo } from '../trpc/context.js';
import { countAuditEvents, listAuditEvents } from './audit.repository.js';
import { appendAuditEvent } from './audit.writer.js';
import { csvLine } from './csv.js';

/** Rows read per round trip. */
const PAGE = 500;

const HEADER = [
  'seq',
  'at',
  'deviceAt',
  'action',
  'success',
  'errorCode',
  'actorId',
  'actorRole',
  'fileId',
  'targetKey',
  'captureId',
  'deviceLabel',
  'ip',
  'userAgent',
  'details',
  'id',
  'prevHash',
  'hash',
];

function line(r: AuditEventRow): string {
  return csvLine([
    r.seq,
    r.at.toISOString(),
    r.device_at?.toISOString() ?? null,
    r.action,
    r.success,
    r.error_code,
    r.actor_user_id,
    r.actor_role,
    r.target_file_id,
    r.target_key,
    r.capture_id,
    r.device_label,
    r.ip,
    r.user_agent,
    JSON.stringify(r.details ?? {}),
    r.id,
    r.prev_hash,
    r.hash,
  ]);
}

/** The CSV, newest first, page by page as the client reads (Readable.from pulls on demand). */
async function* csvRows(
  db: Database,
  q: { orgId: string; filters: AuditListFilters; beforeSeq: number },
): AsyncGenerator<string> {
  yield csvLine(HEADER);
  let beforeSeq = q.beforeSeq;
  for (;;) {
    const rows = await listAuditEvents(db, { ...q, beforeSeq, limit: PAGE });
    for (const r of rows) yield line(r);
    const last = rows.at(-1);
    if (!last || rows.length < PAGE) return;
    beforeSeq = last.seq;
  }
}

/**
 * Start a CSV export of the caller's org's audit log. AUDIT_EXPORTED (filters, count) is committed
 * first — no row, no export — and the export covers the log up to just before that row, so what was
 * counted is what is sent even while new events keep arriving.
 */
export async function startAuditExport(
  deps: { db: Database; clock: Clock; meta: RequestMeta; session: SessionInfo },
  filters: AuditListFilters,
): Promise<{ stream: Readable; count: number }> {
  const orgId = deps.session.orgId;
  const recorded = await deps.db.transaction().execute(async (trx) => {
    const count = await countAuditEvents(trx, { orgId, filters });
    const row = await appendAuditEvent(trx, {
      orgId,
      at: deps.clock(),
      actor: { userId: deps.session.userId, role: deps.session.role },
      ip: deps.meta.ip,
      userAgent: deps.meta.userAgent,
      deviceLabel: deps.session.deviceLabel,
      action: 'AUDIT_EXPORTED',
      success: true,
      details: { filters: filters as { [key: string]: JsonValue }, count, format: 'csv' },
    });
    return { count, seq: row.seq };
  });
  const stream = Readable.from(csvRows(deps.db, { orgId, filters, beforeSeq: recorded.seq }));
  return { stream, count: recorded.count };
}
