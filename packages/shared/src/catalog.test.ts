// The catalogue: the object types the issue names, content-type normalising and extension lookups, retention dates.
import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  CONTENT_TYPE_EXTENSIONS,
  OOXML,
  catalog,
  contentTypeForExtension,
  getObjectType,
  isContentType,
  listObjectTypes,
  normalizeContentType,
  retentionUntil,
  type ObjectTypeName,
  type SystemName,
} from './catalog.js';
import { MiB } from './parts.js';

describe('catalog', () => {
  it.each([
    [
      'accounting',
      'receipt',
      25 * MiB,
      7,
      ['image/jpeg', 'image/png', 'image/heic', 'image/heif', 'image/webp', 'application/pdf'],
    ],
    ['accounting', 'invoice', 25 * MiB, 7, ['application/pdf', 'image/jpeg']],
    ['accounting', 'export', 1024 * MiB, 7, ['text/csv', 'application/pdf', 'application/zip']],
    [
      'workspace',
      'document',
      100 * MiB,
      7,
      ['application/pdf', 'text/plain', OOXML.docx, OOXML.xlsx, OOXML.pptx],
    ],
    ['communications', 'attachment', 25 * MiB, 7, ['application/pdf', 'image/png', OOXML.docx]],
    ['app-builder', 'app-zip', 5 * 1024 * MiB, 1, ['application/zip']],
  ])('defines %s/%s', (system, objectType, maxSize, retentionYears, types) => {
    const rule = getObjectType(system, objectType);
    expect(rule).toMatchObject({ maxSize, retentionYears });
    expect(rule?.contentTypes).toEqual(expect.arrayContaining(types));
  });

  it('types system and object-type names from the catalogue', () => {
    expectTypeOf<SystemName>().toEqualTypeOf<
      'accounting' | 'workspace' | 'communications' | 'app-builder'
    >();
    expectTypeOf<ObjectTypeName<'accounting'>>().toEqualTypeOf<'receipt' | 'invoice' | 'export'>();
    expect(Object.keys(catalog.accounting)).toEqual(['receipt', 'invoice', 'export']);
  });

  it('lists every pair once, each with known content types', () => {
    const pairs = listObjectTypes();
    expect(pairs.map((p) => `${p.system}/${p.objectType}`)).toHaveLength(
      new Set(pairs.map((p) => `${p.system}/${p.objectType}`)).size,
    );
    expect(pairs).toHaveLength(
      Object.values(catalog).flatMap((types) => Object.keys(types)).length,
    );
    for (const { rule } of pairs) expect(rule.contentTypes.every(isContentType)).toBe(true);
  });

  it.each([
    ['payroll', 'receipt'],
    ['accounting', 'toString'],
    ['__proto__', 'constructor'],
    ['accounting', ''],
  ])('knows nothing of %s/%s', (system, objectType) => {
    expect(getObjectType(system, objectType)).toBeUndefined();
  });
});

describe('content types', () => {
  it.each([
    ['image/jpeg', 'image/jpeg'],
    [' IMAGE/JPEG ', 'image/jpeg'],
    ['image/jpg', 'image/jpeg'],
    ['text/csv; charset=utf-8', 'text/csv'],
    ['application/x-zip-compressed', 'application/zip'],
    ['', null],
    ['text/html', null],
    ['image/svg+xml', null],
    ['constructor', null],
  ])('normalises %j to %s', (declared, expected) => {
    expect(normalizeContentType(declared)).toBe(expected);
  });

  it.each([
    ['jpg', 'image/jpeg'],
    ['JPEG', 'image/jpeg'],
    ['heic', 'image/heic'],
    ['heif', 'image/heif'],
    ['docx', OOXML.docx],
    ['xlsx', OOXML.xlsx],
    ['pptx', OOXML.pptx],
    ['csv', 'text/csv'],
    ['exe', null],
    ['', null],
  ])('maps extension %j to %s', (ext, type) => {
    expect(contentTypeForExtension(ext)).toBe(type);
  });

  it.each(Object.entries(CONTENT_TYPE_EXTENSIONS))(
    'maps the primary extension of %s back to it',
    (type, exts) => {
      expect(contentTypeForExtension(exts[0] ?? '')).toBe(type);
    },
  );
});

describe('retentionUntil', () => {
  const receipt = catalog.accounting.receipt;

  it('adds whole years in UTC', () => {
    expect(retentionUntil(receipt, new Date('2024-05-01T09:30:00.000Z')).toISOString()).toBe(
      '2031-05-01T09:30:00.000Z',
    );
  });

  it('rolls 29 February to 1 March in a non-leap year', () => {
    expect(retentionUntil(receipt, new Date('2024-02-29T00:00:00.000Z')).toISOString()).toBe(
      '2031-03-01T00:00:00.000Z',
    );
  });
});
