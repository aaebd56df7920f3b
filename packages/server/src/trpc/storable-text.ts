// Refuses input text PostgreSQL cannot store (NUL; unpaired UTF-16 surrogates, which jsonb rejects) as BAD_INPUT naming the field.
import { TRPCError } from '@trpc/server';
import { z } from 'zod';

/** Deeper than any input schema nests; zod refuses such inputs anyway, so the walk need not go further. */
const MAX_DEPTH = 32;

const MESSAGE = 'Text with a NUL character or an unpaired surrogate cannot be stored';

/** A high surrogate not followed by a low one, or a low one not preceded by a high one. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function isUnstorable(text: string): boolean {
  return text.includes('\u0000') || LONE_SURROGATE.test(text);
}

/**
 * The path of the first string (value or object key) in `value` that cannot be stored, or null.
 * Without this, such a string reaches an INSERT or a WHERE and fails there as a 500.
 */
export function findUnstorableText(value: unknown, path: PropertyKey[] = []): PropertyKey[] | null {
  if (typeof value === 'string') return isUnstorable(value) ? path : null;
  if (typeof value !== 'object' || value === null || path.length >= MAX_DEPTH) return null;
  const entries: Array<[PropertyKey, unknown]> = Array.isArray(value)
    ? value.map((item, i) => [i, item])
    : Object.entries(value);
  for (const [key, item] of entries) {
    if (typeof key === 'string' && isUnstorable(key)) return [...path, key];
    const found = findUnstorableText(item, [...path, key]);
    if (found) return found;
  }
  return null;
}

/**
 * The refusal for `input`, or null. A ZodError cause, so clients get the same shape as any invalid
 * field (`fieldErrors` by dotted path, the field named in the message).
 */
export function unstorableTextRefusal(input: unknown): TRPCError | null {
  const path = findUnstorableText(input);
  if (!path) return null;
  // Made by a parse, as tRPC's own input errors are: tRPC copies a non-Error cause onto its own error,
  // and only a parse-made ZodError survives that copy as a ZodError (a `new z.ZodError` does not).
  const { error } = z
    .unknown()
    .superRefine((_value, ctx) => ctx.addIssue({ code: 'custom', path, message: MESSAGE }))
    .safeParse(input);
  return new TRPCError({ code: 'BAD_REQUEST', message: MESSAGE, cause: error });
}
