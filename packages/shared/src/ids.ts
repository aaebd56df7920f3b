// Identifier rules shared by object keys and schemas: lowercase UUIDs (and time-ordered v7 ones) and the caller-chosen object id slug.

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

/** Sources for {@link uuidv7}; both default to the platform (tests pass fixed ones). */
export interface UuidV7Sources {
  now?: () => number;
  randomBytes?: (bytes: Uint8Array) => Uint8Array;
}

// The global WebCrypto: browsers, workers and Node 20 all have it, so no Node import is needed.
const defaultRandom = (bytes: Uint8Array) => crypto.getRandomValues(bytes);

/**
 * A lowercase RFC 9562 UUID version 7: 48-bit Unix ms timestamp, version and variant bits, 74 random
 * bits. Time-ordered, so capture and event ids sort by creation and the server's indexes stay compact.
 */
export function uuidv7(sources: UuidV7Sources = {}): string {
  const bytes = (sources.randomBytes ?? defaultRandom)(new Uint8Array(16));
  let ms = Math.floor((sources.now ?? Date.now)());
  for (let i = 5; i >= 0; i--) {
    bytes[i] = ms % 256;
    ms = Math.floor(ms / 256);
  }
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x70;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
