// Test kit: seed one of every kind of drift between the files table and a store, and know exactly which keys reconcile must name.
import { randomUUID } from 'node:crypto';
import { buildObjectKey } from '@fieldvault/shared/keys';
import type { ReconcileKind } from '@fieldvault/shared/schemas';
import type { Database } from '../db/database.js';
import { seedFile } from '../files/files.test-kit.js';
import type { ObjectStore } from '../storage/object-store.js';

/** Drift to seed and the findings it must produce, as `kind key` strings. */
export interface SeededDrift {
  expected: string[];
  /** Records that repair must mark `missing`. */
  missingIds: string[];
  orphanKeys: string[];
}

const at = (kind: ReconcileKind, key: string): string => `${kind} ${key}`;

/** A key of `orgId` for a new capture. */
function keyOf(orgId: string, name: string): string {
  return buildObjectKey({
    orgId,
    system: 'accounting',
    objectType: 'receipt',
    objectId: 'recon-1',
    capturedAt: new Date('2026-02-01T08:00:00Z'),
    captureId: randomUUID(),
    filename: `${name}.jpg`,
  });
}

/** A session row for a pending file, expiring at `expiresAt`. */
async function sessionFor(
  db: Database,
  q: { orgId: string; fileId: string; expiresAt: Date; uploadId?: string },
) {
  await db
    .insertInto('upload_sessions')
    .values({
      org_id: q.orgId,
      file_id: q.fileId,
      kind: q.uploadId ? 'multipart' : 'single',
      storage_upload_id: q.uploadId ?? null,
      part_size: 0,
      parts_count: 1,
      expires_at: q.expiresAt,
    })
    .execute();
}

/**
 * Seed, for `orgId` (`now` is the test clock, a couple of days after real time so fresh uploads look
 * stale): healthy files, orphans (one under quarantine/), missing records (one deleted), size drift,
 * content-type drift (when the backend lists types), a stale pending file and a stale multipart —
 * plus a live pending file and a live multipart that must not be reported.
 */
export async function seedDrift(
  deps: { db: Database; store: ObjectStore },
  q: { orgId: string; userId: string; now: Date; listsContentType: boolean },
): Promise<SeededDrift> {
  const base = { orgId: q.orgId, uploadedBy: q.userId };
  const expected: string[] = [];
  for (let i = 0; i < 3; i++) await seedFile(deps, { ...base, bytes: Buffer.from(`ok ${i}`) });
  const orphanKeys = [keyOf(q.orgId, 'orphan'), `quarantine/${keyOf(q.orgId, 'orphan-q')}`];
  for (const k of orphanKeys) {
    await deps.store.putObject(k, Buffer.from('orphan'), { contentType: 'image/jpeg' });
    expected.push(at('orphan', k));
  }
  const missing = [await seedFile(deps, base), await seedFile(deps, base)];
  const deletedMissing = await seedFile(deps, { ...base, status: 'deleted' });
  for (const f of [...missing, deletedMissing]) expected.push(at('missing', f.key));
  const sized = await seedFile(deps, { ...base, bytes: Buffer.from('sized') });
  await deps.db.updateTable('files').set({ size: 999 }).where('id', '=', sized.id).execute();
  expected.push(at('size_drift', sized.key));
  if (q.listsContentType) {
    const typed = await seedFile(deps, { ...base, bytes: Buffer.from('typed') });
    await deps.db
      .updateTable('files')
      .set({ content_type: 'application/pdf' })
      .where('id', '=', typed.id)
      .execute();
    expected.push(at('content_type_drift', typed.key));
  }
  const old = new Date(q.now.getTime() - 3 * 86_400_000);
  const stale = await seedFile(deps, { ...base, status: 'pending', receivedAt: old });
  await sessionFor(deps.db, {
    orgId: q.orgId,
    fileId: stale.id,
    expiresAt: new Date(q.now.getTime() - 60_000),
  });
  expected.push(at('stale_pending', stale.key));
  const live = await seedFile(deps, { ...base, status: 'pending', receivedAt: old });
  const liveUpload = await deps.store.createMultipart(live.key, { contentType: 'image/jpeg' });
  await sessionFor(deps.db, {
    orgId: q.orgId,
    fileId: live.id,
    expiresAt: new Date(q.now.getTime() + 3_600_000),
    uploadId: liveUpload.uploadId,
  });
  const abandoned = keyOf(q.orgId, 'abandoned');
  await deps.store.createMultipart(abandoned, { contentType: 'image/jpeg' });
  expected.push(at('stale_multipart', abandoned));
  return { expected: expected.sort(), missingIds: missing.map((m) => m.id), orphanKeys };
}

/** Findings as sorted `kind key` strings. */
export function findingKeys(report: { findings: { kind: string; key: string }[] }): string[] {
  return report.findings.map((f) => at(f.kind as ReconcileKind, f.key)).sort();
}
