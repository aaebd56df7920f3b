// Schema-aware hostile inputs: walk a procedure's zod schema, replace one field (or the whole input) with junk, serialise as sent.
import fc from 'fast-check';
import type { z } from 'zod';
import { NAUGHTY_STRINGS } from './naughty.js';

type Kind = 'object' | 'array' | 'string' | 'number' | 'boolean' | 'enum' | 'other';
type Path = (string | number)[];

/** A field of an input schema: where it is and what type zod expects there. */
export interface Field {
  path: Path;
  kind: Kind;
}

/** A value that is not JSON-serialisable as such: its JSON text is sent verbatim (`1e999`, `-0`). */
export class Raw {
  constructor(readonly text: string) {}
}

/** One hostile input: the JSON text sent (undefined: no input at all) and what was done, for the report. */
export interface Hostile {
  wire: string | undefined;
  note: string;
}

/** A hostile input that prints as its note and the start of its text (counterexamples can be 70 kB). */
function hostile(wire: string | undefined, note: string): Hostile {
  return {
    wire,
    note,
    [fc.toStringMethod]: () => `${note} | ${String(wire).slice(0, 200)}`,
  } as Hostile;
}

interface Def {
  type: string;
  innerType?: ZodLike;
  in?: ZodLike;
  shape?: Record<string, ZodLike>;
  element?: ZodLike;
}
interface ZodLike {
  _zod: { def: Def };
}

/** Strip the wrappers that do not change the expected type (optional, nullable, default, pipe). */
function unwrap(schema: ZodLike): ZodLike {
  let s = schema;
  for (;;) {
    const def = s._zod.def;
    const next = def.innerType ?? (def.type === 'pipe' ? def.in : undefined);
    if (!next) return s;
    s = next;
  }
}

const KINDS: Record<string, Kind> = {
  object: 'object',
  array: 'array',
  string: 'string',
  number: 'number',
  int: 'number',
  boolean: 'boolean',
  enum: 'enum',
};

/** Every field of `schema` (objects and array elements, recursively), the root included. */
export function fieldsOf(schema: z.ZodType, prefix: Path = []): Field[] {
  const s = unwrap(schema);
  const def = s._zod.def;
  const out: Field[] = [{ path: prefix, kind: KINDS[def.type] ?? 'other' }];
  for (const [key, child] of Object.entries(def.shape ?? {}))
    out.push(...fieldsOf(child as unknown as z.ZodType, [...prefix, key]));
  if (def.element) out.push(...fieldsOf(def.element as unknown as z.ZodType, [...prefix, 0]));
  return out;
}

const deep = (n: number): unknown => (n === 0 ? 'bottom' : [deep(n - 1)]);

/** Junk that is wrong for almost any field. */
const generic = fc.oneof(
  fc.constantFrom<unknown>(null, true, false, 0, -1, '', [], {}, [[]], { '': '' }),
  fc.constantFrom<unknown>('x'.repeat(70_000), deep(60), {
    a: { b: { c: { d: [1, '2', null] } } },
  }),
  fc.constantFrom<unknown>(new Raw('1e999'), new Raw('-1e999'), new Raw('-0')),
  fc.anything({ maxDepth: 2, maxKeys: 4, withNullPrototype: true }),
);

/** Near misses per expected type: right JSON type, wrong value. */
const NEAR: Record<Kind, fc.Arbitrary<unknown>> = {
  string: fc.oneof(
    fc.constantFrom(...NAUGHTY_STRINGS),
    fc.constantFrom('x'.repeat(1025), 'a'.repeat(63), 'A'.repeat(64), '0'.repeat(65)),
    fc.string({ unit: 'binary', maxLength: 40 }),
  ),
  number: fc.constantFrom<unknown>(
    -1,
    0,
    0.5,
    -0.000001,
    2 ** 53 + 2,
    -(2 ** 53),
    1e308,
    Number.MAX_VALUE,
    '1',
    new Raw('1e999'),
    new Raw('-0'),
    new Raw('1.0e2'),
  ),
  boolean: fc.constantFrom<unknown>('true', 'false', 1, 0, 'yes'),
  enum: fc.oneof(fc.constantFrom(...NAUGHTY_STRINGS), fc.string({ maxLength: 12 })),
  array: fc.constantFrom<unknown>(
    [],
    [null],
    Array.from({ length: 10_001 }, (_, i) => i),
    Array.from({ length: 1_001 }, () => 'x'),
  ),
  object: fc.constantFrom<unknown>([], 'object', { __proto__: null, unknownKey: 1 }),
  other: generic,
};

/** A copy of `value` with `path` set to `to` (intermediate objects created); `undefined` deletes the key. */
export function setAt(value: unknown, path: Path, to: unknown): unknown {
  const [head, ...rest] = path;
  if (head === undefined) return to;
  const container = (
    Array.isArray(value)
      ? [...(value as unknown[])]
      : { ...(value && typeof value === 'object' ? value : {}) }
  ) as Record<string | number, unknown>;
  const next = setAt(container[head], rest, to);
  if (next === undefined && !Array.isArray(container)) delete container[head];
  // defineProperty, not `=`: assigning `__proto__` would set the prototype instead of adding a key.
  else
    Object.defineProperty(container, head, {
      value: next,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  return container;
}

/** JSON text of `value` with every {@link Raw} spliced in verbatim. */
export function serialise(value: unknown): string | undefined {
  const raws: string[] = [];
  const nonce = `@@raw${Math.random().toString(36).slice(2)}@@`;
  const text = JSON.stringify(value, (_key, v: unknown) =>
    v instanceof Raw ? `${nonce}${raws.push(v.text) - 1}` : v,
  ) as string | undefined;
  return text?.replace(
    new RegExp(`"${nonce}(\\d+)"`, 'g'),
    (_m, i: string) => raws[Number(i)] ?? '',
  );
}

/** Whole bodies no schema accepts, several not even JSON. */
const WHOLE: readonly Hostile[] = [
  ...['not json', '{', '{"a":1,}', "{'a':1}", '\ufeff{}', 'null', '[]', '"x"', '1e999', 'true'].map(
    (wire) => hostile(wire, `whole input ${wire}`),
  ),
  hostile('{"__proto__":{"polluted":1}}', '__proto__ key'),
  hostile('{"constructor":{"prototype":{"polluted":1}}}', 'constructor.prototype key'),
  hostile(`${'['.repeat(5000)}${']'.repeat(5000)}`, 'arrays 5000 deep'),
  hostile(`${'{"a":'.repeat(3000)}1${'}'.repeat(3000)}`, 'objects 3000 deep'),
];

/**
 * Hostile inputs for a procedure: one field replaced with junk or a near miss, dropped, or an unknown
 * (prototype-polluting) key added beside it; or the whole input replaced.
 */
export function hostileInput(schema: z.ZodType | undefined, valid: unknown): fc.Arbitrary<Hostile> {
  const fields = schema ? fieldsOf(schema) : [{ path: [], kind: 'other' as Kind }];
  const field = fc.constantFrom(...fields);
  const replaced = field.chain((f) =>
    fc
      .oneof(NEAR[f.kind], generic)
      .map((to) =>
        hostile(
          serialise(setAt(valid, f.path, to)),
          `${f.path.join('.') || 'input'} := ${String(serialise(to)).slice(0, 60)}`,
        ),
      ),
  );
  const dropped = field.map((f) =>
    hostile(serialise(setAt(valid, f.path, undefined)), `${f.path.join('.') || 'input'} dropped`),
  );
  const extraKey = fc
    .tuple(field, fc.constantFrom('__proto__', 'constructor', 'prototype', 'extra', 'isAdmin'))
    .map(([f, key]) =>
      hostile(
        serialise(setAt(valid, [...f.path, key], { polluted: true })),
        `${[...f.path, key].join('.')} added`,
      ),
    );
  return fc.oneof(
    { weight: 5, arbitrary: replaced },
    { weight: 1, arbitrary: dropped },
    { weight: 2, arbitrary: extraKey },
    { weight: 1, arbitrary: fc.constantFrom(...WHOLE) },
  );
}
