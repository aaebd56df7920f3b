// Tiny sample files of every supported type, generated in code, for tests on both sides (not part of the main index).
import { OOXML, type ContentType } from './catalog.js';

const encoder = new TextEncoder();

/** Concatenate byte arrays, strings (UTF-8) and byte lists into one array. */
export function bytes(...chunks: (Uint8Array | string | readonly number[])[]): Uint8Array {
  const parts = chunks.map((c) => (typeof c === 'string' ? encoder.encode(c) : Uint8Array.from(c)));
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

const u16le = (n: number): number[] => [n & 0xff, (n >> 8) & 0xff];
const u32le = (n: number): number[] => [...u16le(n & 0xffff), ...u16le(n >>> 16)];
const u32be = (n: number): number[] => [
  (n >>> 24) & 0xff,
  (n >> 16) & 0xff,
  (n >> 8) & 0xff,
  n & 0xff,
];

/** A stored (uncompressed) ZIP local file entry; `flags` bit 3 says the sizes follow the data. */
export function zipEntry(name: string, data = '', flags = 0): Uint8Array {
  const body = encoder.encode(data);
  const nameBytes = encoder.encode(name);
  const header = [
    ...u32le(0x04034b50),
    ...u16le(20),
    ...u16le(flags),
    ...u16le(0), // stored
    ...u16le(0), // time
    ...u16le(0), // date
    ...u32le(0), // crc-32 (not checked by the sniffer)
    ...u32le(body.length),
    ...u32le(body.length),
    ...u16le(nameBytes.length),
    ...u16le(0),
  ];
  return bytes(header, nameBytes, body);
}

/** An ISO-BMFF `ftyp` box with the given major and compatible brands (HEIC, HEIF, AVIF…). */
export function ftyp(major: string, compatible: readonly string[]): Uint8Array {
  const size = 16 + 4 * compatible.length;
  return bytes(
    u32be(size),
    'ftyp',
    major,
    [0, 0, 0, 0],
    compatible.join(''),
    [0, 0, 0, 0x20, 0x6d, 0x65],
  );
}

const CONTENT_TYPES_XML = '<?xml version="1.0"?><Types/>';

/** One tiny valid-looking file per supported content type. */
export const SAMPLES: Readonly<Record<ContentType, Uint8Array>> = {
  'image/jpeg': bytes([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10], 'JFIF', [0, 1, 1]),
  'image/png': bytes([0x89], 'PNG\r\n', [0x1a, 0x0a], [0, 0, 0, 13], 'IHDR'),
  'image/gif': bytes('GIF89a', [1, 0, 1, 0, 0x80, 0, 0]),
  'image/webp': bytes('RIFF', u32le(26), 'WEBP', 'VP8 ', u32le(14)),
  'image/heic': ftyp('heic', ['mif1', 'heic']),
  'image/heif': ftyp('mif1', ['mif1', 'miaf']),
  'application/pdf': bytes('%PDF-1.7\n%\xe2\xe3\n1 0 obj\n'),
  'text/plain': bytes('Lunch with client — 12,40 €\n'),
  'text/csv': bytes('date,vendor,amount\n2024-05-01,Café Zoë,12.40\n'),
  'application/zip': bytes(zipEntry('receipts/IMG_0001.jpg', 'x')),
  [OOXML.docx]: bytes(
    zipEntry('[Content_Types].xml', CONTENT_TYPES_XML),
    zipEntry('word/document.xml', '<w/>'),
  ),
  [OOXML.xlsx]: bytes(
    zipEntry('[Content_Types].xml', CONTENT_TYPES_XML),
    zipEntry('xl/workbook.xml', '<x/>'),
  ),
  [OOXML.pptx]: bytes(zipEntry('ppt/presentation.xml', '<p/>')),
};

/** Markup that must never pass as text or an image. */
export const HOSTILE_MARKUP: Readonly<Record<string, Uint8Array>> = {
  html: bytes('<!DOCTYPE html><html><body><script>alert(1)</script></body></html>'),
  'html with BOM and leading space': bytes(
    [0xef, 0xbb, 0xbf],
    '  \n<html><script>alert(1)</script>',
  ),
  'html fragment': bytes('<img src=x onerror=alert(1)>'),
  svg: bytes('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'),
  'svg with xml declaration': bytes(
    '<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"/>',
  ),
  'script after text': bytes('Total: 12.40\n<script>alert(1)</script>'),
};
