// `files.*` procedure schemas: list filters and pages, lifecycle inputs, signed downloads; bad input fails on its field.
import { describe, expect, it } from 'vitest';
import {
  DOWNLOAD_EXPIRY_MAX,
  DOWNLOAD_EXPIRY_MIN,
  fileDeleteInput,
  fileDownload,
  fileDownloadInput,
  fileIdInput,
  filePurged,
  filesListInput,
  filesPage,
} from './files.js';
import { FILE, ID, errorsOf } from './fixtures.test-data.js';

const AT = '2024-05-01T09:30:00.000Z';
const LATER = '2024-06-01T00:00:00.000Z';

describe('files.list', () => {
  it('accepts no input, filters, an opaque cursor and a limit, and trims the search text', () => {
    expect(filesListInput.parse(undefined)).toBeUndefined();
    const input = filesListInput.parse({
      filters: { system: 'accounting', status: 'deleted', from: AT, to: AT, text: ' café ' },
      cursor: 'f1.anything',
      limit: 100,
    });
    expect(input?.filters?.text).toBe('café');
  });

  it.each([
    ['limit', { limit: 0 }],
    ['limit', { limit: 101 }],
    ['cursor', { cursor: 'x'.repeat(129) }],
    ['filters.system', { filters: { system: 'payroll' } }],
    ['filters.uploadedBy', { filters: { uploadedBy: 'me' } }],
    ['filters.to', { filters: { from: LATER, to: AT } }],
    ['filters.text', { filters: { text: '   ' } }],
    ['filters.text', { filters: { text: 'x'.repeat(201) } }],
    ['filters.dateField', { filters: { dateField: 'deleted' } }],
    ['', { page: 2 }],
  ])('refuses a bad %s', (path, value) => {
    expect(Object.keys(errorsOf(filesListInput, value))).toEqual([path]);
  });

  it('describes a page of file records', () => {
    const page = { items: [FILE], nextCursor: null };
    expect(filesPage.parse(page)).toEqual(page);
    expect(
      Object.keys(errorsOf(filesPage, { items: [{ ...FILE, size: -1 }], nextCursor: null })),
    ).toEqual(['items.0.size']);
  });
});

describe('file lifecycle and downloads', () => {
  it('accepts ids, a delete reason and a download within the allowed lifetime', () => {
    expect(fileIdInput.parse({ id: ID })).toEqual({ id: ID });
    expect(fileDeleteInput.parse({ id: ID, reason: ' duplicate ' }).reason).toBe('duplicate');
    expect(
      fileDownloadInput.safeParse({ id: ID, disposition: 'inline', expiresIn: DOWNLOAD_EXPIRY_MAX })
        .success,
    ).toBe(true);
    expect(filePurged.parse({ id: ID, purgedAt: AT })).toEqual({ id: ID, purgedAt: AT });
  });

  it.each([
    [fileIdInput, 'id', { id: 'file-1' }, 'Must be a lowercase UUID'],
    [fileDeleteInput, 'reason', { id: ID, reason: '' }, 'Required'],
    [fileDeleteInput, 'reason', { id: ID, reason: 'r'.repeat(501) }, '<=500'],
    [fileDownloadInput, 'expiresIn', { id: ID, expiresIn: DOWNLOAD_EXPIRY_MIN - 1 }, 'At least 10'],
    [fileDownloadInput, 'expiresIn', { id: ID, expiresIn: DOWNLOAD_EXPIRY_MAX + 1 }, 'At most 900'],
    [fileDownloadInput, 'disposition', { id: ID, disposition: 'open' }, 'attachment'],
    [filePurged, 'purgedAt', { id: ID, purgedAt: 'now' }, 'ISO 8601'],
  ])('refuses a bad %s', (schema, path, value, message) => {
    expect(errorsOf(schema, value)[path]).toContain(message);
  });

  it('describes a signed GET download with what it really carries', () => {
    const download = {
      url: 'https://bucket.example/k?X-Amz-Signature=1',
      method: 'GET',
      headers: {},
      expiresAt: AT,
      disposition: 'attachment',
      filename: 'IMG_0001.jpg',
    };
    expect(fileDownload.parse(download)).toEqual(download);
    expect(Object.keys(errorsOf(fileDownload, { ...download, method: 'PUT' }))).toEqual(['method']);
  });
});
