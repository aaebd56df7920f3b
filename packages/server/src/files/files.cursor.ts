// The opaque `files.list` cursor (Node's Buffer, so it stays on the server) and the list input that accepts only ours.
import { filesListInput, refineCursor, uuid } from '@fieldvault/shared/schemas';

/** Position after the last row of a page: `received_at` in microseconds (PostgreSQL's precision) and id. */
export interface FilesCursor {
  receivedUs: number;
  id: string;
}

const CURSOR_PREFIX = 'f1.';
const CURSOR_BODY = /^(\d{1,16})\.([0-9a-f-]{36})$/;

/** Encode a page position as an opaque string. */
export function encodeFilesCursor(cursor: FilesCursor): string {
  const body = `${cursor.receivedUs}.${cursor.id}`;
  return CURSOR_PREFIX + Buffer.from(body, 'utf8').toString('base64url');
}

/** The position a cursor names, or null when it is not one of ours. */
export function decodeFilesCursor(cursor: string): FilesCursor | null {
  if (!cursor.startsWith(CURSOR_PREFIX)) return null;
  const body = Buffer.from(cursor.slice(CURSOR_PREFIX.length), 'base64url').toString('utf8');
  const m = CURSOR_BODY.exec(body);
  if (!m?.[1] || !m[2] || !uuid.safeParse(m[2]).success) return null;
  const receivedUs = Number(m[1]);
  return Number.isSafeInteger(receivedUs) ? { receivedUs, id: m[2] } : null;
}

/**
 * Shared's `files.list` input with the cursor checked against this codec, so a forged or foreign
 * cursor is refused as bad input on `cursor` rather than read as page one.
 */
export const filesListInputChecked = refineCursor(
  filesListInput,
  (c) => decodeFilesCursor(c) !== null,
);
