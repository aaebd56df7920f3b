// Group commit of `uploads.begin`: new single-PUT captures begun together are written in one transaction (multi-row INSERTs, one chain append per org).
import { appendAuditEventsAcrossOrgs } from '../audit/audit.writer.js';
import type { Database } from '../db/database.js';
import type { FileRow, UploadSessionRow } from '../db/schema.js';
import {
  beganEvent,
  newFileValues,
  newSessionValues,
  type BeginRequest,
  type SessionLayout,
} from './uploads.begin-rows.js';
import { batcher } from './uploads.batcher.js';
import * as repo from './uploads.repository.js';
import { uploadAuditInputs, type UploadDeps } from './uploads.service.js';

/** Begins written by one transaction at most (the files INSERT stays far below PostgreSQL's parameter limit). */
export const MAX_BATCH = 64;
/**
 * Batch transactions one database runs at once. Begins arriving meanwhile wait and go together in the
 * next one, so under load each transaction (and its WAL flush) carries many begins instead of one.
 */
export const MAX_IN_FLIGHT = 4;

/** A new capture's begin waiting for its batch. */
interface Pending extends BeginRequest {
  deps: UploadDeps;
  layout: SessionLayout;
}

/** The rows a batch created for one begin. */
export type Opened = { upload: UploadSessionRow; file: FileRow };

const queue = batcher({ maxBatch: MAX_BATCH, maxInFlight: MAX_IN_FLIGHT }, writeBatch);

/**
 * Open a brand-new capture's session (file row, session row, UPLOAD_BEGUN) in a transaction shared
 * with the other begins of this tick (a tRPC batch request arrives as one) or of the batches running
 * meanwhile. Resolves null — never rejects — when this begin was not written: its capture or key
 * already exists (a retry, or a twin in the same batch) or the batch's transaction failed. The
 * caller then takes the one-by-one path, which answers idempotently or fails with this begin's own
 * error, so one bad begin never fails the others.
 */
export function openInBatch(
  deps: UploadDeps,
  request: BeginRequest & { layout: SessionLayout },
): Promise<Opened | null> {
  return queue(deps.db, { ...request, deps });
}

/** One transaction for the batch: the rows it could create (null for the rest), or nulls if it failed. */
async function writeBatch(db: Database, batch: readonly Pending[]): Promise<(Opened | null)[]> {
  try {
    return await db.transaction().execute(async (trx) => {
      const files = await repo.insertNewFiles(
        trx,
        batch.map((p) => newFileValues(p.deps, p)),
      );
      // The first begin of a key got the row; a twin later in the batch goes one by one.
      const unclaimed = new Map(files.map((f) => [f.key, f]));
      const owners = batch.map((p) => {
        const file = unclaimed.get(p.key);
        unclaimed.delete(p.key);
        return file ?? null;
      });
      const created = batch.flatMap((p, i) => {
        const file = owners[i];
        return file ? [{ p, file, now: p.deps.clock() }] : [];
      });
      if (created.length === 0) return batch.map(() => null);
      const sessions = await repo.insertSessions(
        trx,
        created.map(({ p, file, now }) =>
          newSessionValues(file, { ...p.layout, input: p.input, now }),
        ),
      );
      const byFile = new Map(sessions.map((s) => [s.file_id, s]));
      const opened = new Map<Pending, Opened>();
      for (const { p, file } of created) {
        const upload = byFile.get(file.id);
        if (!upload) throw new Error(`no session was written for file ${file.id}`);
        opened.set(p, { upload, file });
      }
      await appendAuditEventsAcrossOrgs(
        trx,
        [...opened].flatMap(([p, { upload, file }]) =>
          uploadAuditInputs(p.deps, [beganEvent(upload, file)]),
        ),
      );
      return batch.map((p) => opened.get(p) ?? null);
    });
  } catch {
    return batch.map(() => null);
  }
}
