// `fieldvault import`: walk a directory, check each file with the shared rules, hash it, and upload it through the same begin/put/complete services; resumable, skips what is already there.
import { createHash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { checkUpload } from '@fieldvault/shared/check';
import { isObjectId } from '@fieldvault/shared/ids';
import { SINGLE_PUT_MAX } from '@fieldvault/shared/parts';
import { SNIFF_BYTES } from '@fieldvault/shared/sniff';
import { appendAuditEvent } from '../audit/audit.writer.js';
import type { UploadDeps } from '../uploads/uploads.service.js';
import { findItem, findPresent, finishItem, startItem, type ItemKey } from './import.repository.js';
import { uploadItem } from './import.upload.js';

/** What to import and how. */
export interface ImportOptions {
  dir: string;
  system: string;
  objectType: string;
  objectIdFrom: 'path' | 'filename';
  dryRun: boolean;
  concurrency: number;
  /** Called after each file (progress bar). */
  onProgress?: (done: number, total: number) => void;
}

/** What happened to each file. */
export interface ImportReport {
  total: number;
  imported: number;
  skipped: number;
  refused: { path: string; reason: string }[];
  failed: { path: string; reason: string }[];
  dryRun: boolean;
}

type Outcome =
  | { kind: 'imported' | 'skipped' | 'would-import' }
  | { kind: 'refused' | 'failed'; reason: string };

/** Every regular file under `dir`, as sorted paths relative to it. */
export async function walkFiles(dir: string, rel = ''): Promise<string[]> {
  const entries = await readdir(path.join(dir, rel), { withFileTypes: true });
  const out: string[] = [];
  for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const child = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...(await walkFiles(dir, child)));
    else if (e.isFile()) out.push(child);
  }
  return out;
}

/** The object id for a file: its folder's name (`path`) or its own name without extension (`filename`). */
export function objectIdOf(rel: string, from: 'path' | 'filename'): string | null {
  const parts = rel.split('/');
  const raw = from === 'path' ? (parts.at(-2) ?? '') : (parts.at(-1) ?? '').replace(/\.[^.]*$/, '');
  const slug = raw
    .normalize('NFKD')
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/^[^A-Za-z0-9]+/, '')
    .slice(0, 64);
  return slug && isObjectId(slug) ? slug : null;
}

/** Check, dedupe and (unless a dry run) upload one file. */
async function importOne(deps: UploadDeps, o: ImportOptions, rel: string): Promise<Outcome> {
  const full = path.join(o.dir, rel);
  const info = await stat(full);
  const size = info.size;
  if (size > SINGLE_PUT_MAX)
    return {
      kind: 'refused',
      reason: `larger than ${SINGLE_PUT_MAX} bytes (import uploads single-PUT sizes)`,
    };
  const objectId = objectIdOf(rel, o.objectIdFrom);
  if (!objectId)
    return { kind: 'refused', reason: `no valid object id from its ${o.objectIdFrom}` };
  const bytes = await readFile(full);
  const filename = path.basename(rel);
  const check = checkUpload({
    system: o.system,
    objectType: o.objectType,
    filename,
    declaredType: '',
    size,
    firstBytes: bytes.subarray(0, SNIFF_BYTES),
  });
  if (!check.ok) return { kind: 'refused', reason: check.reasons.map((r) => r.message).join('; ') };
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const key: ItemKey = {
    orgId: deps.session.orgId,
    target: `${o.system}/${o.objectType}`,
    sourcePath: rel,
    sha256,
  };
  const seen = await findItem(deps.db, key);
  if (seen && seen.state !== 'started')
    return seen.state === 'refused'
      ? { kind: 'refused', reason: seen.reason ?? '' }
      : { kind: 'skipped' };
  const target = { orgId: key.orgId, sha256, system: o.system, objectType: o.objectType, objectId };
  if (!seen && (await findPresent(deps.db, target))) {
    if (!o.dryRun)
      await finishItem(deps.db, { ...key, state: 'skipped', reason: 'already present' });
    return { kind: 'skipped' };
  }
  if (o.dryRun) return { kind: 'would-import' };
  const item = await startItem(deps.db, key);
  const file = await uploadItem(deps, {
    item,
    bytes,
    filename,
    contentType: check.contentType,
    sha256,
    capturedAt: info.mtime,
    objectId,
    system: o.system,
    objectType: o.objectType,
  });
  await deps.db.transaction().execute(async (trx) => {
    await appendAuditEvent(trx, {
      orgId: key.orgId,
      at: deps.clock(),
      actor: { userId: deps.session.userId, role: deps.session.role },
      deviceLabel: deps.session.deviceLabel,
      action: 'FILE_IMPORTED',
      target: { fileId: file.id, key: file.key, captureId: file.captureId },
      success: true,
      details: { sourcePath: rel, sha256 },
    });
    await finishItem(trx, { ...key, state: 'imported', fileId: file.id });
  });
  return { kind: 'imported' };
}

/** Import every file under `o.dir` with `o.concurrency` workers; one file's failure never stops the rest. */
export async function runImport(deps: UploadDeps, o: ImportOptions): Promise<ImportReport> {
  const files = await walkFiles(o.dir);
  const report: ImportReport = {
    total: files.length,
    imported: 0,
    skipped: 0,
    refused: [],
    failed: [],
    dryRun: o.dryRun,
  };
  let next = 0;
  let done = 0;
  const worker = async (): Promise<void> => {
    for (let i = next++; i < files.length; i = next++) {
      const rel = files[i] ?? '';
      const out = await importOne(deps, o, rel).catch((err: unknown): Outcome => ({
        kind: 'failed',
        reason: err instanceof Error ? err.message : String(err),
      }));
      if (out.kind === 'imported' || out.kind === 'would-import') report.imported++;
      else if (out.kind === 'skipped') report.skipped++;
      else if (out.kind === 'refused' || out.kind === 'failed')
        report[out.kind].push({ path: rel, reason: out.reason });
      o.onProgress?.(++done, files.length);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, o.concurrency) }, worker));
  return report;
}
