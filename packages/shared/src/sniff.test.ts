// Content sniffing: every supported type from generated fixtures, and markup that must never pass as text or an image.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CONTENT_TYPE_EXTENSIONS, OOXML, type ContentType } from './catalog.js';
import { HOSTILE_MARKUP, SAMPLES, bytes, ftyp, zipEntry } from './fixtures.js';
import { SNIFF_BYTES, sniffContentType, sniffMarkup } from './sniff.js';

describe('sniffContentType', () => {
  it('has a fixture for every known content type', () => {
    expect(Object.keys(SAMPLES).sort()).toEqual(Object.keys(CONTENT_TYPE_EXTENSIONS).sort());
  });

  // CSV has no magic of its own: its bytes are plain text.
  const expected = (type: ContentType): ContentType => (type === 'text/csv' ? 'text/plain' : type);

  it.each(Object.entries(SAMPLES) as [ContentType, Uint8Array][])(
    'recognises %s',
    (type, sample) => {
      expect(sniffContentType(sample)).toBe(expected(type));
    },
  );

  it.each(Object.entries(HOSTILE_MARKUP))('refuses %s as any type', (_label, markup) => {
    expect(sniffContentType(markup)).toBeNull();
  });

  it.each([
    ['HEIF with a HEVC compatible brand', ftyp('mif1', ['mif1', 'heic']), 'image/heic'],
    ['an image sequence (hevc)', ftyp('hevc', ['msf1']), 'image/heic'],
    ['a generic HEIF sequence (msf1)', ftyp('msf1', ['msf1']), 'image/heif'],
    ['AVIF', ftyp('avif', ['mif1', 'avif']), null],
    ['AVIF labelled mif1', ftyp('mif1', ['mif1', 'avif']), null],
    ['an MP4 video', ftyp('isom', ['isom', 'mp41']), null],
    ['a truncated ftyp box', ftyp('heic', []).subarray(0, 10), null],
  ])('tells %s apart', (_label, sample, type) => {
    expect(sniffContentType(sample)).toBe(type);
  });

  it.each([
    ['an empty archive', bytes('PK', [5, 6], new Array<number>(18).fill(0)), 'application/zip'],
    ['an archive whose first entry is ordinary', bytes(zipEntry('a.txt', 'hi')), 'application/zip'],
    [
      'OOXML whose kind comes after the preamble',
      bytes(
        zipEntry('[Content_Types].xml', 'x'),
        zipEntry('_rels/.rels', 'y'),
        zipEntry('ppt/x.xml'),
      ),
      OOXML.pptx,
    ],
    [
      'OOXML with a streamed first entry',
      bytes(zipEntry('[Content_Types].xml', '', 0x08), zipEntry('word/a.xml')),
      'application/zip',
    ],
    [
      'OOXML cut off after its first entry',
      bytes(zipEntry('[Content_Types].xml', 'x')),
      'application/zip',
    ],
    [
      'a name running past the sniffed bytes',
      zipEntry('word/document.xml').subarray(0, 35),
      'application/zip',
    ],
    ['a directory entry word/', bytes(zipEntry('word/')), OOXML.docx],
  ])('sniffs ZIP: %s', (_label, sample, type) => {
    expect(sniffContentType(sample)).toBe(type);
  });

  it.each([
    ['empty input', new Uint8Array(0)],
    ['a NUL byte in text', bytes('abc', [0], 'def')],
    ['invalid UTF-8', bytes('caf', [0xc3, 0x28])],
    ['an executable', bytes('MZ', [0x90, 0, 3, 0])],
    ['an ELF binary', bytes([0x7f], 'ELF', [2, 1, 1])],
    ['a WebP header without its tag', bytes('RIFF', [0, 0, 0, 0], 'WAVE')],
  ])('returns null for %s', (_label, sample) => {
    expect(sniffContentType(sample)).toBeNull();
  });

  it('reads magic only at offset 0: a PDF marker after spaces is just text', () => {
    expect(sniffContentType(bytes('  %PDF-1.7'))).toBe('text/plain');
  });

  it('accepts text whose last code point is cut by the sniff window', () => {
    const euro = new TextEncoder().encode('€');
    expect(sniffContentType(bytes('Total 12 ', euro.subarray(0, 2)))).toBe('text/plain');
  });

  it('accepts a UTF-8 BOM, tabs and CRLF in text', () => {
    expect(sniffContentType(bytes([0xef, 0xbb, 0xbf], 'a\tb\r\nc,d\r\n'))).toBe('text/plain');
  });

  it('never calls arbitrary bytes an image or text when they start with markup', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('<html>', '<svg ', '<?xml ', '<!DOCTYPE html>', '<script>'),
        fc.string(),
        (tag, rest) => {
          expect(sniffContentType(bytes(`${tag}${rest}`))).toBeNull();
        },
      ),
    );
  });

  it('never throws on arbitrary bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: SNIFF_BYTES }), (data) => {
        const type = sniffContentType(data);
        expect(type === null || Object.hasOwn(CONTENT_TYPE_EXTENSIONS, type)).toBe(true);
      }),
    );
  });
});

describe('sniffMarkup', () => {
  it.each([
    ['html', 'text/html'],
    ['html with BOM and leading space', 'text/html'],
    ['svg', 'image/svg+xml'],
    ['svg with xml declaration', 'image/svg+xml'],
    ['script after text', 'text/html'],
  ])('names %s as %s', (label, type) => {
    expect(sniffMarkup(HOSTILE_MARKUP[label] ?? new Uint8Array())).toBe(type);
  });

  it.each([
    ['a JPEG', SAMPLES['image/jpeg']],
    ['plain text', bytes('Total: 12.40')],
    ['an XML document', bytes('<?xml version="1.0"?><invoice/>')],
  ])('%s is no HTML or SVG', (label, sample) => {
    expect(sniffMarkup(sample)).toBe(label === 'an XML document' ? 'application/xml' : null);
  });
});
