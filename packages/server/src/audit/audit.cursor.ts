// The opaque `audit.list` cursor (Node's Buffer, so it stays on the server) and the list input that accepts only ours.
import { auditListInput, refineCursor } from '@fieldvault/shared/schemas';

const CURSOR_PREFIX = 'a1.';

/** The opaque `audit.list` cursor: the last seq of the previous page. */
export function encodeAuditCursor(seq: number): string {
  return CURSOR_PREFIX + Buffer.from(String(seq), 'utf8').toString('base64url');
}

/** The seq a cursor names, or null when it is not one of ours. */
export function decodeAuditCursor(cursor: string): number | null {
  if (!cursor.startsWith(CURSOR_PREFIX)) return null;
  const text = Buffer.from(cursor.slice(CURSOR_PREFIX.length), 'base64url').toString('utf8');
  if (!/^[1-9]\d{0,15}$/.test(text)) return null;
  const seq = Number(text);
  return Number.isSafeInteger(seq) ? seq : null;
}

/**
 * Shared's `audit.list` input with the cursor checked against this codec, so a forged or foreign
 * cursor is refused as bad input on `cursor` rather than read as page one.
 */
export const auditListInputChecked = refineCursor(
  auditListInput,
  (c) => decodeAuditCursor(c) !== null,
);
