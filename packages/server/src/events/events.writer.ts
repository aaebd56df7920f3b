// recordFileEvent: the one way to append a file event, inside the transaction that makes the change (transactional outbox).
import { uuidv7 } from '@fieldvault/shared/ids';
import type { FileEvent, FileEventType } from '@fieldvault/shared/schemas';
import type { Tx } from '../db/database.js';
import type { FileEventRow, FileRow, JsonValue } from '../db/schema.js';
import { insertFileEvents } from './events.repository.js';
import { pokeOrg } from './events.notifier.js';

/** What a caller says about a change; the rest comes from the file row. */
export interface FileEventInput {
  type: FileEventType;
  /** The file as it is after the change (for `file.purged`: as it was before the row went). */
  file: FileRow;
  at: Date;
  /** Type-specific facts, e.g. `{ actualSha256 }` for a mismatch; never file contents or secrets. */
  details?: { [key: string]: JsonValue };
}

/** The file summary every event carries, so a consumer can render it without a lookup. */
function summary(file: FileRow): { [key: string]: JsonValue } {
  return {
    status: file.status,
    system: file.system,
    objectType: file.object_type,
    objectId: file.object_id,
    filename: file.original_filename,
    sha256: file.sha256,
    size: file.size,
    key: file.key,
    uploadedBy: file.uploaded_by,
  };
}

/**
 * Append a file event in `trx` — the transaction making the change — so the change, its event and
 * its webhook deliveries commit or roll back together. A NOTIFY (delivered by PostgreSQL only at
 * commit) wakes the live subscribers of every replica; this process's subscribers are poked directly.
 */
export async function recordFileEvent(trx: Tx, input: FileEventInput): Promise<FileEventRow> {
  const [row] = await recordFileEvents(trx, [input]);
  if (!row) throw new Error(`file event ${input.type} was not written`);
  return row;
}

/**
 * Append several events in `trx` — of one org's change or of a batch of changes across orgs — each
 * org's in order, with the rules of {@link recordFileEvent}: one statement however many events and
 * orgs (plus the chain-head lock when the transaction does not hold it yet).
 */
export async function recordFileEvents(
  trx: Tx,
  inputs: readonly FileEventInput[],
): Promise<FileEventRow[]> {
  const rows = await insertFileEvents(
    trx,
    inputs.map((input) => ({
      id: uuidv7(),
      orgId: input.file.org_id,
      type: input.type,
      fileId: input.file.id,
      payload: { ...summary(input.file), ...input.details },
      at: input.at,
    })),
  );
  for (const orgId of new Set(rows.map((r) => r.org_id))) pokeOrg(orgId);
  return rows;
}

/** The wire form of an event row. */
export function toFileEvent(row: FileEventRow): FileEvent {
  const payload = row.payload;
  return {
    id: row.id,
    seq: row.seq,
    orgId: row.org_id,
    type: row.type as FileEventType,
    fileId: row.file_id,
    at: row.created_at.toISOString(),
    payload: payload && typeof payload === 'object' && !Array.isArray(payload) ? payload : {},
  };
}
