// The upload gate: every accepted combination from the catalogue, and each reason for refusal on its own and together.
import { describe, expect, it } from 'vitest';
import { OOXML, extensionsFor, listObjectTypes } from './catalog.js';
import {
  bytesMatchType,
  checkError,
  checkUpload,
  type CheckReasonCode,
  type UploadCandidate,
} from './check.js';
import { FieldVaultError } from './errors.js';
import { HOSTILE_MARKUP, SAMPLES, bytes, ftyp, zipEntry } from './fixtures.js';
import { MiB } from './parts.js';

const RECEIPT: UploadCandidate = {
  system: 'accounting',
  objectType: 'receipt',
  filename: 'IMG_0001.jpg',
  declaredType: 'image/jpeg',
  size: 2 * MiB,
  firstBytes: SAMPLES['image/jpeg'],
};

/** The reason codes of a refused check (fails the test if it was accepted). */
function reasonCodes(candidate: UploadCandidate): CheckReasonCode[] {
  const result = checkUpload(candidate);
  if (result.ok) throw new Error(`expected a refusal, got ${result.contentType}`);
  return result.reasons.map((r) => r.code);
}

/** accounting/export, the object type that takes ZIP files. */
const EXPORT = { system: 'accounting', objectType: 'export' };
const DOCUMENT = { system: 'workspace', objectType: 'document' };

describe('checkUpload accepts', () => {
  const allowed = listObjectTypes().flatMap(({ system, objectType, rule }) =>
    rule.contentTypes.map((type) => ({ system, objectType, type })),
  );

  it.each(allowed)('$type as $system/$objectType', ({ system, objectType, type }) => {
    const ext = extensionsFor(type)[0] ?? '';
    const result = checkUpload({
      system,
      objectType,
      filename: `Scan 1.${ext.toUpperCase()}`,
      declaredType: type,
      size: 1000,
      firstBytes: SAMPLES[type],
    });
    expect(result).toEqual({
      ok: true,
      contentType: type,
      safeFilename: `Scan 1.${ext.toUpperCase()}`,
      plan: { kind: 'single', size: 1000 },
    });
  });

  it.each([
    [
      'CSV declared, plain text bytes',
      { filename: 'q2.csv', declaredType: 'text/csv', firstBytes: SAMPLES['text/csv'] },
      'text/csv',
    ],
    [
      'a charset parameter',
      {
        filename: 'q2.csv',
        declaredType: 'Text/CSV; charset=utf-8',
        firstBytes: SAMPLES['text/csv'],
      },
      'text/csv',
    ],
    [
      'OOXML whose bytes only show a ZIP',
      {
        filename: 'r.docx',
        declaredType: OOXML.docx,
        firstBytes: bytes(zipEntry('[Content_Types].xml', '', 8)),
      },
      OOXML.docx,
    ],
    [
      'a ZIP that starts with a word/ folder',
      {
        ...EXPORT,
        filename: 'r.zip',
        declaredType: 'application/zip',
        firstBytes: SAMPLES[OOXML.docx],
      },
      'application/zip',
    ],
    [
      "Windows Chrome's ZIP type",
      {
        ...EXPORT,
        filename: 'r.zip',
        declaredType: 'application/x-zip-compressed',
        firstBytes: SAMPLES['application/zip'],
      },
      'application/zip',
    ],
    [
      'no declared type, inferred from the extension',
      { filename: 'q2.csv', declaredType: '', firstBytes: SAMPLES['text/csv'] },
      'text/csv',
    ],
  ])('%s', (_label, patch, contentType) => {
    const result = checkUpload({ ...RECEIPT, ...DOCUMENT, ...patch });
    expect(result).toMatchObject({ ok: true, contentType });
  });

  it.each([
    [
      'HEIC declared, HEIF bytes',
      { filename: 'IMG_1.HEIC', declaredType: 'image/heic', firstBytes: ftyp('mif1', ['mif1']) },
      'image/heic',
    ],
    ['the image/jpg alias', { declaredType: 'image/jpg' }, 'image/jpeg'],
    [
      'no declared type, inferred from the bytes of an unknown extension',
      { filename: 'scan.jpeg', declaredType: ' ' },
      'image/jpeg',
    ],
    ['bytes not at hand yet (server at begin)', { firstBytes: null }, 'image/jpeg'],
    [
      "Android's octet-stream for a HEIC photo",
      {
        filename: 'IMG_2.heic',
        declaredType: 'application/octet-stream',
        firstBytes: SAMPLES['image/heic'],
      },
      'image/heic',
    ],
  ])('a receipt with %s', (_label, patch, contentType) => {
    expect(checkUpload({ ...RECEIPT, ...patch })).toMatchObject({ ok: true, contentType });
  });

  it('plans multipart for a receipt above the single-PUT threshold', () => {
    const result = checkUpload({ ...RECEIPT, size: 20 * MiB });
    expect(result).toMatchObject({ ok: true, plan: { kind: 'multipart', partCount: 3 } });
  });
});

describe('checkUpload refuses', () => {
  it.each<[string, Partial<UploadCandidate>, CheckReasonCode[]]>([
    ['an unknown system', { system: 'payroll' }, ['UNKNOWN_SYSTEM']],
    ['an unknown object type', { objectType: 'payslip' }, ['UNKNOWN_OBJECT_TYPE']],
    ['an empty file', { size: 0 }, ['EMPTY_FILE']],
    ['a negative size', { size: -1 }, ['BAD_SIZE']],
    ['a fractional size', { size: 1.5 }, ['BAD_SIZE']],
    ['a receipt over 25 MiB', { size: 25 * MiB + 1 }, ['TOO_LARGE']],
    [
      'a type the object type does not allow',
      {
        filename: 'a.zip',
        declaredType: 'application/zip',
        firstBytes: SAMPLES['application/zip'],
      },
      ['NOT_ALLOWED_TYPE'],
    ],
    [
      'an unknown declared type',
      { declaredType: 'application/x-msdownload' },
      ['NOT_ALLOWED_TYPE'],
    ],
    [
      'a PNG declared as PDF',
      { filename: 'a.pdf', declaredType: 'application/pdf', firstBytes: SAMPLES['image/png'] },
      ['TYPE_MISMATCH'],
    ],
    [
      'HTML declared as an image',
      { declaredType: 'image/jpeg', firstBytes: HOSTILE_MARKUP.html ?? null },
      ['TYPE_MISMATCH'],
    ],
    [
      'SVG declared as an image',
      { filename: 'a.png', declaredType: 'image/png', firstBytes: HOSTILE_MARKUP.svg ?? null },
      ['TYPE_MISMATCH'],
    ],
    [
      'an extension that disagrees with the type',
      { filename: 'photo.png' },
      ['EXTENSION_MISMATCH'],
    ],
    ['a bidi-disguised .exe', { filename: 'invoice\u202Egpj.exe' }, ['EXTENSION_MISMATCH']],
    ['no extension', { filename: 'photo' }, ['EXTENSION_MISMATCH']],
    [
      'no declared type, unknown extension and unknown bytes',
      { filename: 'a.bin', declaredType: '', firstBytes: bytes('MZ', [0x90, 0]) },
      ['NOT_ALLOWED_TYPE'],
    ],
  ])('%s', (_label, patch, codes) => {
    expect(reasonCodes({ ...RECEIPT, ...patch })).toEqual(codes);
  });

  it('reports every reason at once', () => {
    const codes = reasonCodes({
      ...RECEIPT,
      filename: 'archive.exe',
      declaredType: 'application/zip',
      size: 26 * MiB,
      firstBytes: SAMPLES['image/png'],
    });
    expect(codes).toEqual(['TOO_LARGE', 'NOT_ALLOWED_TYPE', 'TYPE_MISMATCH', 'EXTENSION_MISMATCH']);
  });

  it('reports an unknown target together with the file problems', () => {
    expect(reasonCodes({ ...RECEIPT, system: 'payroll', size: 0, filename: 'x.pdf' })).toEqual([
      'UNKNOWN_SYSTEM',
      'EMPTY_FILE',
      'EXTENSION_MISMATCH',
    ]);
  });

  it('explains each reason in words', () => {
    const result = checkUpload({
      ...RECEIPT,
      filename: 'a.pdf',
      declaredType: 'application/pdf',
      firstBytes: SAMPLES['image/png'],
    });
    expect(result).toEqual({
      ok: false,
      reasons: [
        {
          code: 'TYPE_MISMATCH',
          message: 'The file says application/pdf but its content is image/png.',
        },
      ],
    });
  });
});

describe('bytesMatchType and checkError', () => {
  it.each([
    ['image/heic', 'image/heif', true],
    ['text/csv', 'text/plain', true],
    ['image/heif', 'image/heic', true],
    ['image/png', 'image/heic', false],
    [OOXML.xlsx, 'application/zip', true],
    ['application/zip', OOXML.xlsx, true],
    [OOXML.xlsx, OOXML.docx, false],
    ['image/jpeg', null, false],
    ['application/pdf', 'image/png', false],
  ] as const)('%s with bytes of %s → %s', (declared, sniffed, match) => {
    expect(bytesMatchType(declared, sniffed)).toBe(match);
  });

  it('turns reasons into the error of the first one, keeping them all', () => {
    const reasons = [
      { code: 'TOO_LARGE', message: 'big' },
      { code: 'EXTENSION_MISMATCH', message: 'ext' },
    ] as const;
    const error = checkError(reasons);
    expect(error).toBeInstanceOf(FieldVaultError);
    expect(error).toMatchObject({ code: 'TOO_LARGE', message: 'big', details: { reasons } });
    expect(checkError([]).code).toBe('BAD_INPUT');
  });
});
