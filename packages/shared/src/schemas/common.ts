// Building blocks of every wire schema: ids, digests, dates and the catalogue's names, each with a clear message.
import { z } from 'zod';
import { SYSTEMS, getObjectType } from '../catalog.js';
import { ERROR_CODES } from '../errors.js';
import { MAX_OBJECT_ID_LENGTH, OBJECT_ID_PATTERN, UUID_PATTERN } from '../ids.js';
import { MD5_BASE64_PATTERN, SHA256_HEX_PATTERN } from '../sha256.js';

/** A lowercase UUID (the only spelling keys and the database use). */
export const uuid = z.string().regex(UUID_PATTERN, { error: 'Must be a lowercase UUID' });

/** A SHA-256 digest as exactly 64 lowercase hex characters. */
export const sha256Hex = z
  .string()
  .regex(SHA256_HEX_PATTERN, { error: 'Must be a SHA-256 as 64 lowercase hex characters' });

/** An MD5 digest in padded base64, as the `Content-MD5` header carries it. */
export const md5Base64 = z
  .string()
  .regex(MD5_BASE64_PATTERN, { error: 'Must be an MD5 in base64 (24 characters)' });

/** A UTC instant as an ISO 8601 string ending in `Z` (`Date.prototype.toISOString()`); dates travel as strings. */
export const isoDateTime = z.iso.datetime({
  error: 'Must be an ISO 8601 UTC date-time such as 2024-05-01T09:30:00.000Z',
});

/** A system from the catalogue. */
export const systemName = z.enum(SYSTEMS, { error: `Must be one of: ${SYSTEMS.join(', ')}` });

/** An object-type name; whether it belongs to the system is checked by {@link refineObjectType}. */
export const objectTypeName = z.string().min(1, { error: 'Required' }).max(64);

/** The business object a file belongs to: a slug of letters, digits, `.`, `_`, `-` (see `isObjectId`). */
export const objectId = z
  .string()
  .max(MAX_OBJECT_ID_LENGTH, { error: `At most ${MAX_OBJECT_ID_LENGTH} characters` })
  .regex(OBJECT_ID_PATTERN, {
    error: 'Use letters, digits, ".", "_" and "-", starting with a letter or digit',
  });

/** A 1-based multipart part number. */
export const partNumber = z.number().int().min(1).max(10_000);

/** One of the shared error codes. */
export const errorCode = z.enum(ERROR_CODES);

/** An error as the client receives it. */
export const errorBody = z.strictObject({
  code: errorCode,
  message: z.string(),
  details: z.unknown().optional(),
});

/**
 * Attach the catalogue check to an object schema with `system` and `objectType`: an unknown pair is
 * reported on the `objectType` path.
 */
export function refineObjectType<T extends z.ZodType<{ system: string; objectType: string }>>(
  schema: T,
): T {
  return schema.refine((value) => getObjectType(value.system, value.objectType) !== undefined, {
    error: 'Not an object type of this system (see the catalogue)',
    path: ['objectType'],
  });
}

/**
 * Attach the date-range check to an object schema with optional ISO `from` and `to` (both inclusive):
 * `to` before `from` is reported on the `to` path.
 */
export function refineDateRange<
  T extends z.ZodType<{ from?: string | undefined; to?: string | undefined }>,
>(schema: T): T {
  return schema.refine((v) => !v.from || !v.to || Date.parse(v.from) <= Date.parse(v.to), {
    error: 'Must not be before from',
    path: ['to'],
  });
}

/**
 * The input of a keyset-paged list: all optional — `filters`, the opaque `cursor` of a previous page
 * (at most `cursorMax` characters; the server checks it is its own, see {@link refineCursor}) and a
 * `limit` of 1..100 rows.
 */
export function pagedListInput<F extends z.ZodType>(filters: F, cursorMax: number) {
  return z
    .strictObject({
      filters: filters.optional(),
      cursor: z.string().max(cursorMax).optional(),
      limit: z.number().int().min(1).max(100).optional(),
    })
    .optional();
}

/** One page of a keyset-paged list of `item`; `nextCursor` is null on the last page. */
export function pageOf<T extends z.ZodType>(item: T) {
  return z.strictObject({ items: z.array(item), nextCursor: z.string().nullable() });
}

/**
 * A list input (optional object with an optional opaque `cursor`) whose cursor must also pass
 * `isOurs`: the server's codec, which clients never see. Anything else is refused on the `cursor`
 * path as not coming from a previous page. Same shape and inferred type as `input`.
 */
export function refineCursor<
  S extends { cursor: z.ZodOptional<z.ZodString> },
  C extends z.core.$ZodObjectConfig,
>(input: z.ZodOptional<z.ZodObject<S, C>>, isOurs: (cursor: string) => boolean) {
  const object = input.unwrap();
  const cursor = object.shape.cursor
    .unwrap()
    .refine(isOurs, { error: 'Not a cursor from a previous page' });
  return object.extend({ cursor: cursor.optional() }).optional();
}

/**
 * The messages of a failed parse keyed by dotted field path (`meta.amount`, `parts.2.etag`; `''` for
 * the object itself), for the server's error formatter and the PWA's form fields.
 */
export function fieldErrors(error: z.ZodError): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const issue of error.issues) {
    const path = issue.path.map(String).join('.');
    (out[path] ??= []).push(issue.message);
  }
  return out;
}
