// Streamed ZIP export of a filtered set of verified files, with a CSV manifest: one object read at a time, audited before it starts.
import { PassThrough, Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { fail } from '@fieldvault/shared/errors';
import type { FilesListFilters } from '@fieldvault/shared/schemas';
import { ZipFile } from 'yazl';
import { csvLine } from '../audit/csv.js';
import { appendAuditEvent } from '../audit/audit.writer.js';
import type { JsonValue } from '../db/schema.js';
import type { ObjectStore } from '../storage/object-store.js';
import { countFiles, listFilesPage, type ListedFileRow } from './files.repository.js';
import type { FilesCursor } from './files.cursor.js';
import { fileScope, type FilesDeps } from './files.service.js';

/** Rows read per round trip while exporting. */
const PAGE = 100;
/** The manifest's columns; `zipPath` is where the file is inside the ZIP. */
const MANIFEST_HEADER = [
  'zipPath',
  'fileId',
  'originalFilename',
  'key',
  'sha256',
  'size',
  'contentType',
  'system',
  'objectType',
  'objectId',
  'capturedAt',
  'receivedAt',
  'verifiedAt',
  'deviceLabel',
  'exported',
];

/** `{objectId}/{filename}`, unique inside the ZIP case-insensitively (`name (2).ext` on a clash). */
export function uniqueZipPath(taken: Set<string>, row: { objectId: string; filename: string }) {
  const dot = row.filename.lastIndexOf('.');
  const stem = dot > 0 ? row.filename.slice(0, dot) : row.filename;
  const ext = dot > 0 ? row.filename.slice(dot) : '';
  for (let n = 1; ; n++) {
    const candidate = `${row.objectId}/${n === 1 ? row.filename : `${stem} (${n})${ext}`}`;
    if (!taken.has(candidate.toLowerCase())) {
      taken.add(candidate.toLowerCase());
      return candidate;
    }
  }
}

/** Exports send verified bytes only: pending bytes may not exist and mismatched ones are not the capture. */
function exportFilters(filters: FilesListFilters): FilesListFilters {
  if (filters.status && filters.status !== 'verified') {
    throw fail.BAD_INPUT('filters.status: only verified files can be exported', {
      details: { field: 'filters.status' },
    });
  }
  return { ...filters, status: 'verified' };
}

/** Add one object and wait until its bytes have gone into the ZIP: one storage stream open at a time. */
async function addObject(
  zip: ZipFile,
  store: ObjectStore,
  q: { key: string; path: string; mtime: Date; signal: AbortSignal },
) {
  const body = Readable.fromWeb((await store.getStream(q.key)) as WebReadableStream);
  const done = new Promise<void>((resolve, reject) => {
    body.once('end', resolve);
    body.once('error', reject);
    body.once('close', resolve);
  });
  // A client that went away stops reading: the paused object stream would never end otherwise.
  const stop = () => body.destroy();
  q.signal.addEventListener('abort', stop, { once: true });
  void done.finally(() => q.signal.removeEventListener('abort', stop)).catch(() => undefined);
  // Receipts are JPEG/PDF/HEIC: already compressed, so store them as they are (and fast).
  zip.addReadStream(body, q.path, { mtime: q.mtime, compress: false });
  await done;
}

/** The manifest's line for one file; `zipPath` null when its object could not be read. */
function manifestLine(row: ListedFileRow, zipPath: string | null): string {
  return csvLine([
    zipPath,
    row.id,
    row.original_filename,
    row.key,
    row.sha256,
    row.size,
    row.content_type,
    row.system,
    row.object_type,
    row.object_id,
    row.captured_at.toISOString(),
    row.received_at.toISOString(),
    row.verified_at?.toISOString() ?? null,
    row.device_label,
    zipPath !== null,
  ]);
}

interface Pump {
  zip: ZipFile;
  deps: FilesDeps;
  filters: FilesListFilters;
  signal: AbortSignal;
}

/** Page through the filtered files, adding each to the ZIP, then the manifest; ends the ZIP. */
async function pump(p: Pump): Promise<void> {
  const taken = new Set<string>();
  const manifest: string[] = [csvLine(MANIFEST_HEADER)];
  let after: FilesCursor | null = null;
  for (;;) {
    const rows: ListedFileRow[] = await listFilesPage(p.deps.db, {
      scope: fileScope(p.deps.session),
      filters: p.filters,
      sort: 'received',
      after,
      limit: PAGE,
    });
    for (const row of rows) {
      if (p.signal.aborted) return;
      const path = uniqueZipPath(taken, { objectId: row.object_id, filename: row.safe_filename });
      let exported = true;
      try {
        const target = { key: row.key, path, mtime: row.captured_at, signal: p.signal };
        await addObject(p.zip, p.deps.store, target);
      } catch {
        // Gone from storage since it was listed: the manifest says so rather than the ZIP failing.
        exported = false;
      }
      manifest.push(manifestLine(row, exported ? path : null));
    }
    const last = rows.at(-1);
    if (!last || rows.length < PAGE) break;
    after = { sort: 'received', keyUs: Number(last.key_us), id: last.id };
  }
  p.zip.addBuffer(Buffer.from(manifest.join(''), 'utf8'), 'manifest.csv', {
    mtime: p.deps.clock(),
  });
  p.zip.end();
}

/**
 * Start an export of the files matching `filters` (as `files.list` takes them; verified only). The
 * FILES_EXPORTED audit row (filters, count, bytes) is committed before any byte is sent: no audit
 * row, no export. Returns the ZIP as a stream; storage objects are read one by one as the client
 * consumes it (backpressure through the ZIP stream), so memory holds only per-file metadata.
 */
export async function startFilesExport(
  deps: FilesDeps,
  q: { filters: FilesListFilters; signal: AbortSignal },
): Promise<{ stream: Readable; count: number; bytes: number }> {
  const filters = exportFilters(q.filters);
  const { count, bytes } = await countFiles(deps.db, { scope: fileScope(deps.session), filters });
  await deps.db.transaction().execute((trx) =>
    appendAuditEvent(trx, {
      orgId: deps.session.orgId,
      at: deps.clock(),
      actor: { userId: deps.session.userId, role: deps.session.role },
      ip: deps.meta.ip,
      userAgent: deps.meta.userAgent,
      deviceLabel: deps.session.deviceLabel,
      action: 'FILES_EXPORTED',
      success: true,
      details: { filters: filters as { [key: string]: JsonValue }, count, bytes, format: 'zip' },
    }),
  );
  const zip = new ZipFile();
  const out = new PassThrough();
  zip.outputStream.pipe(out);
  // yazl reports a failing entry stream on the ZipFile; the response then ends early (never hangs).
  zip.on('error', (err: Error) => out.destroy(err));
  pump({ zip, deps, filters, signal: q.signal }).catch((err: unknown) => {
    out.destroy(err instanceof Error ? err : new Error(String(err)));
  });
  return { stream: out, count, bytes };
}
