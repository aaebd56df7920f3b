// Identifier rules shared by object keys and schemas: lowercase UUIDs and the caller-chosen object id slug.

/** Canonical lowercase UUID (any version), as `crypto.randomUUID()` and Postgres `gen_random_uuid()` write it. */
export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Longest accepted object id. */
export const MAX_OBJECT_ID_LENGTH = 128;

/** Letters, digits, `.`, `_`, `-`; starts with a letter or digit (so never `.` or `..`) and does not end in a dot. */
export const OBJECT_ID_PATTERN = /^[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9_-])?$/;

/** True when `value` is a canonical lowercase UUID (uppercase is refused so that keys have one spelling). */
export function isUuid(value: string): boolean {
  return UUID_PATTERN.test(value);
}

/**
 * True when `value` is a valid object id: the business object a file belongs to (an expense report
 * number, a project slug). One key segment: 1–{@link MAX_OBJECT_ID_LENGTH} characters, no `/`.
 */
export function isObjectId(value: string): boolean {
  return value.length <= MAX_OBJECT_ID_LENGTH && OBJECT_ID_PATTERN.test(value);
}
