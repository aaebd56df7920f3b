// Text PostgreSQL cannot store is found wherever it sits in an input, and refused as BAD_INPUT naming the field.
import { describe, expect, it } from 'vitest';
import { fieldVaultErrorShape } from './errors.js';
import { findUnstorableText, unstorableTextRefusal } from './storable-text.js';

describe('findUnstorableText', () => {
  it.each([
    ['NUL in a nested value', { meta: { vendor: 'Ac\u0000me' } }, ['meta', 'vendor']],
    ['a lone high surrogate in an array item', { tags: ['ok', 'x\uD800'] }, ['tags', 1]],
    ['a lone low surrogate', { note: '\uDC00' }, ['note']],
    ['NUL in an object key', { details: { 'k\u0000': 1 } }, ['details', 'k\u0000']],
    ['a top-level string', 'a\u0000', []],
  ])('finds %s', (_label, input, path) => {
    expect(findUnstorableText(input)).toEqual(path);
  });

  it.each([
    ['emoji (a valid surrogate pair)', { vendor: 'Café 🧾👩‍💼' }],
    ['RTL and zero-width text', { note: '\u202Eabc\u200B' }],
    ['numbers, nulls and empty input', { a: 1, b: null, c: [] }],
    ['nothing', undefined],
  ])('passes %s', (_label, input) => {
    expect(findUnstorableText(input)).toBeNull();
  });
});

describe('unstorableTextRefusal', () => {
  it('is BAD_INPUT naming the field, in the same shape as a zod refusal', () => {
    const refusal = unstorableTextRefusal({ meta: { note: 'x\u0000' } });
    if (!refusal) throw new Error('expected a refusal');
    const shape = fieldVaultErrorShape(refusal);
    expect(shape.data.errorCode).toBe('BAD_INPUT');
    expect(Object.keys(shape.data.fieldErrors ?? {})).toEqual(['meta.note']);
    expect(shape.message).toContain('meta.note');
  });

  it('is null for storable input', () => {
    expect(unstorableTextRefusal({ vendor: 'ACME' })).toBeNull();
  });
});
