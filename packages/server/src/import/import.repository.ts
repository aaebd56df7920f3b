// SQL of imports: progress rows per source file, and the "already there" check (same SHA-256, same target).
import { randomUUID } from 'node:crypto';
import type { Selectable } from 'kysely';
import type { Executor } from '../db/database.js';
import type { ImportItemsTable } from '../db/schema.js';

export type ImportItemRow = Selectable<ImportItemsTable>;

/** Which item: org, target and source file with its content. */
export interface ItemKey {
  orgId: string;
  target: string;
  sourcePath: string;
  sha256: string;
}

const where = (k: ItemKey) => ({
  org_id: k.orgId,
  target: k.target,
  source_path: k.sourcePath,
  sha256: k.sha256,
});

/** The item's row, creating it as `started` with a fresh capture id the first time. */
export async function startItem(db: Executor, k: ItemKey): Promise<ImportItemRow> {
  await db
    .insertInto('import_items')
    .values({ ...where(k), capture_id: randomUUID(), state: 'started' })
    .onConflict((oc) => oc.columns(['org_id', 'target', 'source_path', 'sha256']).doNothing())
    .execute();
  return findItem(db, k).then((row) => {
    if (!row) throw new Error('import item vanished');
    return row;
  });
}

/** The item's row, if it was seen before. */
export function findItem(db: Executor, k: ItemKey): Promise<ImportItemRow | undefined> {
  const w = where(k);
  return db
    .selectFrom('import_items')
    .selectAll()
    .where('org_id', '=', w.org_id)
    .where('target', '=', w.target)
    .where('source_path', '=', w.source_path)
    .where('sha256', '=', w.sha256)
    .executeTakeFirst();
}

/** Record how the item ended. */
export async function finishItem(
  db: Executor,
  q: ItemKey & { state: 'imported' | 'skipped' | 'refused'; fileId?: string; reason?: string },
): Promise<void> {
  await db
    .insertInto('import_items')
    .values({
      ...where(q),
      capture_id: randomUUID(),
      state: q.state,
      file_id: q.fileId ?? null,
      reason: q.reason ?? null,
    })
    .onConflict((oc) =>
      oc.columns(['org_id', 'target', 'source_path', 'sha256']).doUpdateSet({
        state: q.state,
        file_id: q.fileId ?? null,
        reason: q.reason ?? null,
        updated_at: new Date(),
      }),
    )
    .execute();
}

/** A verified file of the org with these bytes at this target, if any. */
export async function findPresent(
  db: Executor,
  q: { orgId: string; sha256: string; system: string; objectType: string; objectId: string },
): Promise<string | undefined> {
  const row = await db
    .selectFrom('files')
    .select('id')
    .where('org_id', '=', q.orgId)
    .where('sha256', '=', q.sha256)
    .where('system', '=', q.system)
    .where('object_type', '=', q.objectType)
    .where('object_id', '=', q.objectId)
    .where('status', '=', 'verified')
    .executeTakeFirst();
  return row?.id;
}
