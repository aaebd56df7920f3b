// The opaque `files.list` cursor (Node's Buffer, so it stays on the server) and the list input that accepts only ours.
import { filesListInput, uuid, type FilesSort } from '@fieldvault/shared/schemas';

/**
 * Position after the last row of a page: the sort key (`received_at` or `captured_at`, as `sort`
 * says) in microseconds (PostgreSQL's precision) and the id.
 */
export interface FilesCursor {
  sort: FilesSort;
  keyUs: number;
  id: string;
}

/** `f1.` cursors (received order) predate the captured sort and stay valid; `f2.` names its sort. */
const LEGACY_PREFIX = 'f1.';
const CURSOR_PREFIX = 'f2.';
const LEGACY_BODY = /^(\d{1,16})\.([0-9a-f-]{36})$/;
const CURSOR_BODY = /^([rc])\.(\d{1,16})\.([0-9a-f-]{36})$/;

/** Encode a page position as an opaque string. */
export function encodeFilesCursor(cursor: FilesCursor): string {
  const body = `${cursor.sort === 'captured' ? 'c' : 'r'}.${cursor.keyUs}.${cursor.id}`;
  return CURSOR_PREFIX + Buffer.from(body, 'utf8').toString('base64url');
}

function parts(cursor: string): [string, string, string] | null {
  const prefix = cursor.slice(0, 3);
  if (prefix !== LEGACY_PREFIX && prefix !== CURSOR_PREFIX) return null;
  const body = Buffer.from(cursor.slice(3), 'base64url').toString('utf8');
  if (prefix === LEGACY_PREFIX) {
    const m = LEGACY_BODY.exec(body);
    return m?.[1] && m[2] ? ['r', m[1], m[2]] : null;
  }
  const m = CURSOR_BODY.exec(body);
  return m?.[1] && m[2] && m[3] ? [m[1], m[2], m[3]] : null;
}

/** The position a cursor names, or null when it is not one of ours. */
export function decodeFilesCursor(cursor: string): FilesCursor | null {
  const p = parts(cursor);
  if (!p || !uuid.safeParse(p[2]).success) return null;
  const keyUs = Number(p[1]);
  if (!Number.isSafeInteger(keyUs)) return null;
  return { sort: p[0] === 'c' ? 'captured' : 'received', keyUs, id: p[2] };
}

/**
 * Shared's `files.list` input with the cursor checked against this codec and the input's `sort`, so a
 * forged, foreign or other-order cursor is refused as bad input on `cursor` rather than read as page one.
 */
export const filesListInputChecked = filesListInput
  .unwrap()
  .superRefine((input, ctx) => {
    if (input.cursor === undefined) return;
    const cursor = decodeFilesCursor(input.cursor);
    if (cursor === null) {
      ctx.addIssue({
        code: 'custom',
        path: ['cursor'],
        message: 'Not a cursor from a previous page',
      });
    } else if (cursor.sort !== (input.sort ?? 'received')) {
      ctx.addIssue({
        code: 'custom',
        path: ['cursor'],
        message: `A cursor of the ${cursor.sort} order; ask again with that sort or without a cursor`,
      });
    }
  })
  .optional();
