// `files.verify` ("Verify now"): re-read the stored object, re-hash it in bounded memory, record verified, mismatch or missing with audit and event.
import { fail } from '@fieldvault/shared/errors';
import type { FileVerifyResult } from '@fieldvault/shared/schemas';
import type { Tx } from '../db/database.js';
import type { FileRow, JsonValue } from '../db/schema.js';
import { appendAuditEvent } from '../audit/audit.writer.js';
import { recordFileEvent } from '../events/events.writer.js';
import type { Metrics } from '../metrics.js';
import type { ObjectStore } from '../storage/object-store.js';
import { hashObject } from '../uploads/uploads.verify.js';
import { toFileRecord } from './file-record.js';
import { markMissing } from '../reconcile/reconcile.repository.js';
import { findFileInScope, markFileVerdict } from './files.repository.js';
import { fileScope, type FilesDeps } from './files.service.js';

/** What re-reading the object found; `sha256`/`size` null when there is no object at the key. */
interface Reading {
  sha256: string | null;
  size: number | null;
}

/**
 * Hash what storage holds now. Never the backend's recorded hash (the fs sidecar): that was written
 * when the bytes arrived, and re-verification exists to catch bytes that changed since.
 */
async function readStored(store: ObjectStore, key: string): Promise<Reading> {
  const head = await store.head(key);
  if (!head) return { sha256: null, size: null };
  return { sha256: await hashObject(store, key), size: head.size };
}

/**
 * Statuses whose bytes can be checked: a verified file, a mismatch being looked at again, or a
 * missing one whose object an operator restored (verify then brings it back to `verified`).
 */
const CHECKABLE = new Set(['verified', 'mismatch', 'missing']);

async function loadCheckable(deps: FilesDeps, id: string): Promise<FileRow> {
  const file = await findFileInScope(deps.db, { scope: fileScope(deps.session), id });
  if (!file) throw fail.NOT_FOUND('No such file.');
  if (!CHECKABLE.has(file.status)) {
    throw fail.CONFLICT('Only verified, mismatched or missing files can be verified again.', {
      details: { status: file.status },
    });
  }
  return file;
}

/** The verdict's audit row and event, in the transaction that records it. */
async function recordVerdict(
  trx: Tx,
  deps: FilesDeps,
  v: { before: FileRow; after: FileRow; reading: Reading; now: Date },
): Promise<void> {
  const ok = v.after.status === 'verified';
  const missing = v.reading.sha256 === null;
  const details: { [key: string]: JsonValue } = {
    source: 'verify',
    expectedSha256: v.before.sha256,
    actualSha256: v.reading.sha256,
    expectedSize: v.before.size,
    actualSize: v.reading.size,
    previousStatus: v.before.status,
  };
  // A missing object is not a hash mismatch: FILE_VERIFIED failed with OBJECT_MISSING, the file
  // `missing` — the state reconcile gives it, so both paths agree and `files.list` filters alike.
  if (missing) Object.assign(details, { reason: 'object_missing', finding: 'missing' });
  await appendAuditEvent(trx, {
    orgId: deps.session.orgId,
    at: v.now,
    actor: { userId: deps.session.userId, role: deps.session.role },
    ip: deps.meta.ip,
    userAgent: deps.meta.userAgent,
    deviceLabel: deps.session.deviceLabel,
    action: ok || missing ? 'FILE_VERIFIED' : 'HASH_MISMATCH',
    target: { fileId: v.after.id, key: v.after.key, captureId: v.after.capture_id },
    success: ok,
    errorCode: ok ? null : missing ? 'OBJECT_MISSING' : 'HASH_MISMATCH',
    details,
  });
  const type = ok ? 'file.verified' : missing ? 'file.missing' : 'file.mismatch';
  await recordFileEvent(trx, { type, file: v.after, at: v.now, details });
}

/**
 * Re-verify one file: `verified`, `mismatch`, or `missing` when storage has no object at its key (the
 * answer's `state` and the returned file both say so, with null digests). The hash is computed with
 * no transaction open (a large object takes a while);
 * the verdict is then recorded only if the row is unchanged since it was read (same version), so a
 * delete or purge that happened meanwhile is never overwritten — the caller retries instead.
 */
export async function verifyFile(
  deps: FilesDeps & { metrics: Metrics },
  id: string,
): Promise<FileVerifyResult> {
  const before = await loadCheckable(deps, id);
  const reading = await readStored(deps.store, before.key);
  const ok = reading.sha256 === before.sha256 && reading.size === before.size;
  const now = deps.clock();
  const after = await deps.db.transaction().execute(async (trx) => {
    const current = await findFileInScope(trx, {
      scope: fileScope(deps.session),
      id,
      lock: 'update',
    });
    if (!current || current.version !== before.version) {
      throw fail.CONFLICT('The file changed while it was being verified; try again.', {
        details: { status: current?.status ?? null },
      });
    }
    const row =
      reading.sha256 === null
        ? ((await markMissing(trx, id)) ?? current)
        : await markFileVerdict(trx, { id, ok, at: now });
    await recordVerdict(trx, deps, { before, after: row, reading, now });
    return row;
  });
  if (!ok && reading.sha256 !== null) deps.metrics.verificationMismatches.inc();
  return {
    state: reading.sha256 === null ? 'missing' : ok ? 'verified' : 'mismatch',
    file: toFileRecord(after),
    expectedSha256: before.sha256,
    actualSha256: reading.sha256,
    actualSize: reading.size,
    checkedAt: now.toISOString(),
  };
}
