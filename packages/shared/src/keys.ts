// Object keys: where a capture's bytes live in the bucket, built and parsed by one rule on both sides.
import { getObjectType, isSystem } from './catalog.js';
import { fail } from './errors.js';
import { sanitizeFilename, utf8ByteLength } from './filename.js';
import { isObjectId, isUuid } from './ids.js';

/** S3's limit on a key, in UTF-8 bytes. FieldVault keys stay far below it (about 500 at most). */
export const MAX_KEY_BYTES = 1024;
/** Longest key segment, in UTF-8 bytes: the disk backend stores each segment as one file name. */
export const MAX_KEY_SEGMENT_BYTES = 200;
/** Keys of files whose bytes failed verification live under this prefix, out of the normal tree. */
export const QUARANTINE_PREFIX = 'quarantine/';

/** What {@link buildObjectKey} needs: the capture as the device describes it. */
export interface ObjectKeyInput {
  orgId: string;
  system: string;
  objectType: string;
  objectId: string;
  /** Capture time; a string must be ISO 8601 with `Z` or an offset (engines disagree on anything else). */
  capturedAt: Date | string;
  captureId: string;
  /** The original name; it is sanitised here. */
  filename: string;
}

/** Every part of a key, as {@link parseObjectKey} returns it and {@link formatObjectKey} takes it. */
export interface ObjectKeyParts {
  orgId: string;
  system: string;
  objectType: string;
  objectId: string;
  /** UTC year of capture, 1–9999. */
  year: number;
  /** UTC month of capture, 1–12. */
  month: number;
  captureId: string;
  /** The sanitised filename (a fixed point of `sanitizeFilename`). */
  filename: string;
}

const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})$/;

/** True when `key` is within S3's key limit and every segment within {@link MAX_KEY_SEGMENT_BYTES}. */
function fitsLimits(key: string): boolean {
  const segments = key.split('/');
  return (
    utf8ByteLength(key) <= MAX_KEY_BYTES &&
    segments.every((segment) => utf8ByteLength(segment) <= MAX_KEY_SEGMENT_BYTES)
  );
}

/** Which part of `parts` is invalid, or `null` when all are valid. */
function invalidPart(parts: ObjectKeyParts): keyof ObjectKeyParts | null {
  if (!isUuid(parts.orgId)) return 'orgId';
  if (!isSystem(parts.system)) return 'system';
  if (getObjectType(parts.system, parts.objectType) === undefined) return 'objectType';
  if (!isObjectId(parts.objectId)) return 'objectId';
  if (!Number.isInteger(parts.year) || parts.year < 1 || parts.year > 9999) return 'year';
  if (!Number.isInteger(parts.month) || parts.month < 1 || parts.month > 12) return 'month';
  if (!isUuid(parts.captureId)) return 'captureId';
  if (sanitizeFilename(parts.filename) !== parts.filename) return 'filename';
  return null;
}

/**
 * The key `{orgId}/{system}/{objectType}/{objectId}/{yyyy}/{mm}/{captureId}-{filename}` for
 * already-derived parts. Throws `FieldVaultError` `BAD_INPUT` (details `{ field }`) on an invalid part.
 */
export function formatObjectKey(parts: ObjectKeyParts): string {
  const field = invalidPart(parts);
  if (field) throw fail.BAD_INPUT(`Invalid object key part: ${field}`, { details: { field } });
  const yyyy = String(parts.year).padStart(4, '0');
  const mm = String(parts.month).padStart(2, '0');
  const { orgId, system, objectType, objectId, captureId, filename } = parts;
  const key = `${orgId}/${system}/${objectType}/${objectId}/${yyyy}/${mm}/${captureId}-${filename}`;
  // Unreachable with today's bounds (uuid 36, object id 128, filename 160 bytes); kept as the guard.
  if (!fitsLimits(key)) throw fail.BAD_INPUT('Object key too long', { details: { field: 'key' } });
  return key;
}

/** The capture time as a Date, or `null` when it is not a valid Date or ISO 8601 string. */
function toDate(value: Date | string): Date | null {
  if (typeof value === 'string' && !ISO_DATE_TIME.test(value)) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

/**
 * The object key for a capture: `{orgId}/{system}/{objectType}/{objectId}/{yyyy}/{mm}/{captureId}-{safeFilename}`
 * (UTC year and month of `capturedAt`; `filename` sanitised). Throws `FieldVaultError` `BAD_INPUT`
 * with `details.field` naming the first invalid part: ids must be lowercase UUIDs, system and object
 * type must be in the catalogue, the object id a slug (see `isObjectId`).
 */
export function buildObjectKey(input: ObjectKeyInput): string {
  const date = toDate(input.capturedAt);
  if (!date)
    throw fail.BAD_INPUT('Invalid object key part: capturedAt', {
      details: { field: 'capturedAt' },
    });
  return formatObjectKey({
    orgId: input.orgId,
    system: input.system,
    objectType: input.objectType,
    objectId: input.objectId,
    year: date.getUTCFullYear(),
    month: date.getUTCMonth() + 1,
    captureId: input.captureId,
    filename: sanitizeFilename(input.filename),
  });
}

/**
 * The parts of a key made by {@link buildObjectKey}, or `null` for any other string (never throws).
 * Exact inverse: `formatObjectKey(parseObjectKey(k)) === k` for every key it accepts.
 */
export function parseObjectKey(key: string): ObjectKeyParts | null {
  if (typeof key !== 'string' || !fitsLimits(key)) return null;
  const segments = key.split('/');
  if (segments.length !== 7) return null;
  const [orgId = '', system = '', objectType = '', objectId = '', yyyy = '', mm = '', last = ''] =
    segments;
  if (!/^\d{4}$/.test(yyyy) || !/^\d{2}$/.test(mm) || last.charAt(36) !== '-') return null;
  const parts: ObjectKeyParts = {
    orgId,
    system,
    objectType,
    objectId,
    year: Number(yyyy),
    month: Number(mm),
    captureId: last.slice(0, 36),
    filename: last.slice(37),
  };
  return invalidPart(parts) === null ? parts : null;
}

/** The prefix under which all of an organisation's keys live (for listing during reconcile). */
export function orgKeyPrefix(orgId: string): string {
  if (!isUuid(orgId))
    throw fail.BAD_INPUT('Invalid object key part: orgId', { details: { field: 'orgId' } });
  return `${orgId}/`;
}

/** Where the bytes of `key` go when they fail verification. Throws `BAD_INPUT` unless `key` is an object key. */
export function quarantineKey(key: string): string {
  if (!parseObjectKey(key))
    throw fail.BAD_INPUT('Not an object key', { details: { field: 'key' } });
  return `${QUARANTINE_PREFIX}${key}`;
}

/** The original key of a quarantine key, or `null` when `key` is not one. */
export function unquarantineKey(key: string): string | null {
  if (!key.startsWith(QUARANTINE_PREFIX)) return null;
  const original = key.slice(QUARANTINE_PREFIX.length);
  return parseObjectKey(original) ? original : null;
}
