// Upload protocol schemas: good messages pass, bad ones fail on the field that is wrong.
import { describe, expect, it } from 'vitest';
import { MiB } from '../parts.js';
import {
  signPartsInput,
  uploadAbortOutput,
  uploadBeginInput,
  uploadBeginOutput,
  uploadCompleteInput,
  uploadCompleteOutput,
  uploadListPartsInput,
  uploadListPartsOutput,
} from './uploads.js';
import { FILE, ID, ID2, SHA, errorsOf } from './fixtures.test-data.js';

const MD5 = '1B2M2Y8AsgTpgAmY7PhCfg==';

const BEGIN = {
  captureId: ID,
  filename: 'IMG_0001.jpg',
  size: 2 * MiB,
  contentType: 'image/jpeg',
  sha256: SHA,
  md5: MD5,
  system: 'accounting',
  objectType: 'receipt',
  objectId: 'EXP-42',
  capturedAt: '2024-05-01T09:30:00.000Z',
  meta: { vendor: ' Café Zoë ', amount: '12.40', currency: 'EUR', tags: ['lunch'] },
};

describe('uploadBeginInput', () => {
  it('accepts a receipt and trims its details', () => {
    expect(uploadBeginInput.parse(BEGIN).meta?.vendor).toBe('Café Zoë');
  });

  it('accepts the receipt date printed on the receipt, today included', () => {
    const today = new Date().toISOString().slice(0, 10);
    for (const receiptDate of ['2024-04-30', '2024-02-29', today]) {
      const parsed = uploadBeginInput.parse({ ...BEGIN, meta: { ...BEGIN.meta, receiptDate } });
      expect(parsed.meta?.receiptDate).toBe(receiptDate);
    }
  });

  it('refuses a receipt date beyond tomorrow (UTC) as in the future', () => {
    const day = (offset: number) =>
      new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
    const input = (d: string) => ({ ...BEGIN, meta: { receiptDate: d } });
    expect(uploadBeginInput.safeParse(input(day(1))).success).toBe(true);
    expect(errorsOf(uploadBeginInput, input(day(2)))['meta.receiptDate']).toContain(
      'The receipt date cannot be in the future',
    );
  });

  it('accepts one MD5 per part of a multipart upload', () => {
    const parts = Array.from({ length: 3 }, () => MD5);
    expect(uploadBeginInput.safeParse({ ...BEGIN, size: 20 * MiB, partMd5s: parts }).success).toBe(
      true,
    );
  });

  it.each([
    ['captureId', { captureId: ID.toUpperCase() }, 'Must be a lowercase UUID'],
    ['sha256', { sha256: SHA.toUpperCase() }, 'Must be a SHA-256 as 64 lowercase hex characters'],
    ['sha256', { sha256: SHA.slice(1) }, 'Must be a SHA-256 as 64 lowercase hex characters'],
    ['md5', { md5: SHA }, 'Must be an MD5 in base64 (24 characters)'],
    ['size', { size: 0 }, 'The file is empty'],
    ['size', { size: 1.5 }, 'expected int'],
    ['filename', { filename: '' }, 'Required'],
    ['system', { system: 'payroll' }, 'Must be one of: accounting'],
    ['objectType', { objectType: 'payslip' }, 'Not an object type of this system'],
    ['objectId', { objectId: '../x' }, 'Use letters, digits'],
    ['capturedAt', { capturedAt: '2024-05-01' }, 'Must be an ISO 8601 UTC date-time'],
    [
      'capturedAt',
      { capturedAt: '2024-05-01T09:30:00+02:00' },
      'Must be an ISO 8601 UTC date-time',
    ],
    ['meta.amount', { meta: { amount: '12,40' } }, 'Must be a decimal amount'],
    ['meta.currency', { meta: { currency: 'eur' } }, 'Must be a 3-letter currency code'],
    ['meta.tags.0', { meta: { tags: ['  '] } }, 'Required'],
    ['partMd5s', { size: 20 * MiB, partMd5s: [MD5] }, 'Needs one MD5 per part'],
    ['partMd5s', { partMd5s: [MD5] }, 'Needs one MD5 per part'],
    ['', { extra: true }, 'Unrecognized key: "extra"'],
    ['meta', { meta: { vendor: 'x', colour: 'red' } }, 'Unrecognized key: "colour"'],
    ['meta.receiptDate', { meta: { receiptDate: '05/12/2026' } }, 'Must be a date such as'],
    ['meta.receiptDate', { meta: { receiptDate: '2026-02-30' } }, 'Must be a date such as'],
    ['meta.receiptDate', { meta: { receiptDate: '2026-12-05T00:00:00Z' } }, 'Must be a date'],
    ['meta.receiptDate', { meta: { receiptDate: '0026-12-05' } }, 'Must be on or after 1900-01-01'],
    ['meta.receiptDate', { meta: { receiptDate: '2999-01-01' } }, 'cannot be in the future'],
  ])('refuses a bad %s', (path, patch, message) => {
    const errors = errorsOf(uploadBeginInput, { ...BEGIN, ...patch });
    expect(errors[path]).toContain(message);
  });

  it('does not crash its cross-field check when size is invalid', () => {
    const errors = errorsOf(uploadBeginInput, { ...BEGIN, size: -5, partMd5s: [MD5] });
    expect(Object.keys(errors)).toContain('size');
  });
});

describe('uploadBeginOutput', () => {
  const put = {
    method: 'PUT',
    url: 'https://bucket.example/k?X-Amz-Signature=1',
    headers: { 'content-md5': MD5 },
    expiresAt: '2024-05-01T10:00:00.000Z',
  };

  it.each([
    ['verified', { state: 'verified', file: FILE }],
    ['single', { state: 'single', sessionId: ID, put, duplicateOf: ID2 }],
    [
      'multipart',
      {
        state: 'multipart',
        sessionId: ID,
        partSize: 8 * MiB,
        partCount: 3,
        parts: [{ partNumber: 1, url: put.url, headers: {}, expiresAt: put.expiresAt }],
      },
    ],
  ])('accepts %s', (_label, value) => {
    expect(uploadBeginOutput.safeParse(value).success).toBe(true);
  });

  it('refuses a URL that is not http(s)', () => {
    const errors = errorsOf(uploadBeginOutput, {
      state: 'single',
      sessionId: ID,
      put: { ...put, url: 'javascript:alert(1)' },
    });
    expect(Object.keys(errors)).toEqual(['put.url']);
  });

  it('refuses an unknown state', () => {
    expect(uploadBeginOutput.safeParse({ state: 'done' }).success).toBe(false);
  });
});

describe('upload completion and signing', () => {
  it('accepts ascending parts and a single-PUT completion', () => {
    const parts = [
      { partNumber: 1, etag: '"a"' },
      { partNumber: 2, etag: '"b"' },
    ];
    expect(uploadCompleteInput.safeParse({ sessionId: ID, parts }).success).toBe(true);
    expect(uploadCompleteInput.safeParse({ sessionId: ID }).success).toBe(true);
  });

  it.each([
    [
      'parts',
      [
        { partNumber: 2, etag: 'b' },
        { partNumber: 1, etag: 'a' },
      ],
      'strictly ascending',
    ],
    [
      'parts',
      [
        { partNumber: 1, etag: 'a' },
        { partNumber: 1, etag: 'a' },
      ],
      'strictly ascending',
    ],
    ['parts.0.partNumber', [{ partNumber: 0, etag: 'a' }], 'expected number to be >=1'],
    ['parts.0.etag', [{ partNumber: 1, etag: '' }], 'expected string to have >=1'],
  ])('refuses bad %s', (path, parts, message) => {
    expect(errorsOf(uploadCompleteInput, { sessionId: ID, parts })[path]).toContain(message);
  });

  it('refuses duplicate part numbers to sign', () => {
    expect(errorsOf(signPartsInput, { sessionId: ID, partNumbers: [1, 1] })).toEqual({
      partNumbers: 'Part numbers must be unique',
    });
  });

  it('describes a mismatch with the hash the server found', () => {
    const mismatch = {
      state: 'mismatch',
      file: { ...FILE, status: 'mismatch' },
      actualSha256: SHA,
    };
    expect(uploadCompleteOutput.parse(mismatch).state).toBe('mismatch');
    expect(errorsOf(uploadCompleteOutput, { ...mismatch, actualSha256: 'x' })).toHaveProperty([
      'actualSha256',
    ]);
  });
});

describe('resume point and abort', () => {
  const listed = {
    sessionId: ID,
    kind: 'multipart',
    partCount: 3,
    parts: [{ partNumber: 1, etag: '"e"', size: 8 * MiB }],
  };

  it('lists the parts storage holds for a session', () => {
    expect(uploadListPartsInput.parse({ sessionId: ID })).toEqual({ sessionId: ID });
    expect(uploadListPartsOutput.parse(listed)).toEqual(listed);
  });

  it.each([
    ['sessionId', { sessionId: 'x' }],
    ['kind', { kind: 'parallel' }],
    ['partCount', { partCount: 0 }],
    ['parts.0.etag', { parts: [{ partNumber: 1, etag: '', size: 1 }] }],
    ['parts.0.size', { parts: [{ partNumber: 1, etag: 'e', size: -1 }] }],
    ['parts.0', { parts: [{ partNumber: 1, etag: 'e', size: 1, md5: 'x' }] }],
  ])('refuses a listing with a bad %s', (path, patch) => {
    expect(Object.keys(errorsOf(uploadListPartsOutput, { ...listed, ...patch }))).toEqual([path]);
  });

  it('answers an abort as aborted or expired', () => {
    expect(uploadAbortOutput.parse({ sessionId: ID, state: 'expired' }).state).toBe('expired');
    expect(Object.keys(errorsOf(uploadAbortOutput, { sessionId: ID, state: 'done' }))).toEqual([
      'state',
    ]);
  });
});
