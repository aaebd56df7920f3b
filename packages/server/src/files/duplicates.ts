// The duplicates shown with a file: exact (same bytes) and possible (same amount, day and similar vendor), labelled differently.
import type { FileDuplicate, FileRecord } from '@fieldvault/shared/schemas';
import type { Executor } from '../db/database.js';
import type { FileRow } from '../db/schema.js';
import { findExactDuplicates, findPossibleDuplicates } from './duplicates.repository.js';
import type { FileScope } from './files.repository.js';

/** At most this many of each kind (a badge and a short list, not a report). */
const LIMIT = 20;

const LABELS: Record<FileDuplicate['kind'], string> = {
  exact: 'Exact duplicate: the same bytes (SHA-256)',
  possible: 'Possible duplicate: same amount and date, similar vendor',
};

function metaText(row: FileRow, field: 'vendor' | 'amount'): string | null {
  const meta = row.meta;
  if (!meta || typeof meta !== 'object' || Array.isArray(meta)) return null;
  const value = meta[field];
  return typeof value === 'string' ? value : null;
}

function toDuplicate(row: FileRow, kind: FileDuplicate['kind']): FileDuplicate {
  return {
    id: row.id,
    kind,
    label: LABELS[kind],
    originalFilename: row.original_filename,
    status: row.status,
    capturedAt: row.captured_at.toISOString(),
    receivedAt: row.received_at.toISOString(),
    vendor: metaText(row, 'vendor'),
    amount: metaText(row, 'amount'),
  };
}

/** Both kinds of duplicates of `file` among the rows `scope` may see. */
export async function duplicatesOf(
  db: Executor,
  q: { scope: FileScope; file: FileRow },
): Promise<NonNullable<FileRecord['duplicates']>> {
  const exact = await findExactDuplicates(db, { ...q, limit: LIMIT });
  const possible = await findPossibleDuplicates(db, { ...q, limit: LIMIT });
  return {
    exact: exact.map((r) => toDuplicate(r, 'exact')),
    possible: possible.map((r) => toDuplicate(r, 'possible')),
  };
}
