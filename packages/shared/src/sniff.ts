// Content sniffing: what a file really is, from its first bytes, so a declared type can be checked against them.
import { OOXML, type ContentType } from './catalog.js';

/**
 * How many leading bytes to pass to {@link sniffContentType}. Magic numbers need 16, a HEIF `ftyp`
 * box rarely more than 64 and an OOXML file's first ZIP entries a few hundred; 4 KiB also gives the
 * plain-text check enough to look at. Passing fewer (a shorter file) is fine.
 */
export const SNIFF_BYTES = 4096;

/** The bytes of an ASCII string (for magic numbers). */
const ascii = (text: string): number[] => [...text].map((ch) => ch.charCodeAt(0));

/** True when `bytes` holds `magic` at `offset`. */
function has(bytes: Uint8Array, magic: readonly number[], offset = 0): boolean {
  return offset + magic.length <= bytes.length && magic.every((b, i) => bytes[offset + i] === b);
}

/** Latin-1 text of `bytes[start, end)`; enough to compare ASCII brands and ZIP entry names. */
function text(bytes: Uint8Array, start: number, end: number): string {
  return String.fromCharCode(...bytes.subarray(start, end));
}

const u16le = (b: Uint8Array, at: number): number => (b[at] ?? 0) | ((b[at + 1] ?? 0) << 8);
const u32le = (b: Uint8Array, at: number): number =>
  (u16le(b, at) | (u16le(b, at + 2) << 16)) >>> 0;
const u32be = (b: Uint8Array, at: number): number =>
  (((b[at] ?? 0) << 24) | ((b[at + 1] ?? 0) << 16) | ((b[at + 2] ?? 0) << 8) | (b[at + 3] ?? 0)) >>>
  0;

/** Fixed signatures at offset 0, checked in order. */
const MAGIC: readonly { type: ContentType; magic: readonly number[] }[] = [
  { type: 'image/jpeg', magic: [0xff, 0xd8, 0xff] },
  { type: 'image/png', magic: [0x89, ...ascii('PNG\r\n'), 0x1a, 0x0a] },
  { type: 'image/gif', magic: ascii('GIF87a') },
  { type: 'image/gif', magic: ascii('GIF89a') },
  { type: 'application/pdf', magic: ascii('%PDF-') },
];

// HEIF brands (ISO/IEC 23008-12): HEVC-coded brands make it HEIC; mif1/msf1 are generic HEIF.
const HEIC_BRANDS = new Set(['heic', 'heix', 'hevc', 'hevx', 'heim', 'heis', 'hevm', 'hevs']);
const HEIF_BRANDS = new Set(['mif1', 'msf1']);
// AVIF files carry mif1 as well; they are not HEIC/HEIF and FieldVault does not accept them.
const AVIF_BRANDS = new Set(['avif', 'avis']);

/** image/heic or image/heif from an ISO-BMFF `ftyp` box: major brand first, then compatible brands. */
function sniffHeif(bytes: Uint8Array): ContentType | null {
  const boxSize = u32be(bytes, 0);
  if (!has(bytes, ascii('ftyp'), 4) || boxSize < 16 || bytes.length < 12) return null;
  const major = text(bytes, 8, 12);
  if (HEIC_BRANDS.has(major)) return 'image/heic';
  if (!HEIF_BRANDS.has(major)) return null;
  const brands: string[] = [];
  for (let at = 16; at + 4 <= Math.min(boxSize, bytes.length); at += 4)
    brands.push(text(bytes, at, at + 4));
  if (brands.some((b) => AVIF_BRANDS.has(b))) return null;
  return brands.some((b) => HEIC_BRANDS.has(b)) ? 'image/heic' : 'image/heif';
}

const LOCAL_FILE_HEADER = 0x04034b50;
/** Entries an OOXML package may start with before the part that names its kind. */
const OOXML_PREAMBLE = /^(?:\[Content_Types\]\.xml|_rels\/|docProps\/)/;
const OOXML_KINDS: readonly [prefix: string, type: ContentType][] = [
  ['word/', OOXML.docx],
  ['xl/', OOXML.xlsx],
  ['ppt/', OOXML.pptx],
];

/** The OOXML type of a ZIP, walking its first local headers; `null` when undetectable. */
function sniffOoxml(bytes: Uint8Array): ContentType | null {
  let at = 0;
  for (let entry = 0; entry < 16 && at + 30 <= bytes.length; entry++) {
    if (u32le(bytes, at) !== LOCAL_FILE_HEADER) return null;
    const nameEnd = at + 30 + u16le(bytes, at + 26);
    if (nameEnd > bytes.length) return null;
    const name = text(bytes, at + 30, nameEnd);
    const kind = OOXML_KINDS.find(([prefix]) => name.startsWith(prefix));
    if (kind) return kind[1];
    // Bit 3: sizes come after the data, so the next header cannot be found from here.
    if (!OOXML_PREAMBLE.test(name) || (u16le(bytes, at + 6) & 0x08) !== 0) return null;
    at = nameEnd + u16le(bytes, at + 28) + u32le(bytes, at + 18);
  }
  return null;
}

/** application/zip (or its OOXML type) for a ZIP starting with a local header or an empty archive's end record. */
function sniffZip(bytes: Uint8Array): ContentType | null {
  if (has(bytes, [0x50, 0x4b, 0x05, 0x06])) return 'application/zip';
  if (!has(bytes, [0x50, 0x4b, 0x03, 0x04])) return null;
  return sniffOoxml(bytes) ?? 'application/zip';
}

/** WHATWG MIME Sniffing's "binary data bytes": controls no text file contains. */
const isBinaryByte = (b: number): boolean =>
  b <= 0x08 || b === 0x0b || (b >= 0x0e && b <= 0x1a) || (b >= 0x1c && b <= 0x1f);

// Markup must never pass as text/plain: a browser that ignored the type would run it. Anything
// starting with `<`, or carrying an HTML/SVG/XML opening anywhere in the sniffed bytes, is refused.
const MARKUP =
  /<(?:!doctype|\?xml|html|head|body|script|iframe|svg|object|embed|style|meta|link)\b/i;

/** text/plain for UTF-8 without NULs or other binary bytes that does not look like markup. */
function sniffText(bytes: Uint8Array): ContentType | null {
  if (bytes.length === 0 || bytes.some(isBinaryByte)) return null;
  let decoded: string;
  try {
    // `stream: true` tolerates a code point cut off by the end of the sniffed prefix.
    decoded = new TextDecoder('utf-8', { fatal: true }).decode(bytes, { stream: true });
  } catch {
    return null;
  }
  return decoded.trimStart().startsWith('<') || MARKUP.test(decoded) ? null : 'text/plain';
}

/**
 * The content type the leading bytes of a file show (pass {@link SNIFF_BYTES}, or the whole file
 * if shorter): JPEG, PNG, GIF, WebP, HEIC/HEIF, PDF, ZIP (OOXML documents as their own type when
 * the first entries show it), or text/plain for UTF-8 text. `null` for anything else, including
 * HTML, SVG and XML, which must never pass as text or an image.
 */
export function sniffContentType(firstBytes: Uint8Array): ContentType | null {
  const bytes = firstBytes;
  const simple = MAGIC.find(({ magic }) => has(bytes, magic));
  if (simple) return simple.type;
  if (has(bytes, ascii('RIFF')) && has(bytes, ascii('WEBP'), 8)) return 'image/webp';
  return sniffHeif(bytes) ?? sniffZip(bytes) ?? sniffText(bytes);
}

/** Markup kinds {@link sniffMarkup} names (none of them is an accepted content type). */
export type MarkupType = 'text/html' | 'image/svg+xml' | 'application/xml';

/**
 * What kind of markup the leading bytes hold — HTML, SVG or other XML — or `null`. Only for naming
 * what a refused file really is ("declared image/jpeg, detected text/html"); {@link sniffContentType}
 * already refuses all of them. SVG is checked before XML because SVG files usually start `<?xml`.
 */
export function sniffMarkup(firstBytes: Uint8Array): MarkupType | null {
  const head = text(firstBytes, 0, Math.min(firstBytes.length, SNIFF_BYTES)).toLowerCase();
  if (/<svg\b/.test(head)) return 'image/svg+xml';
  if (/<(?:!doctype\s+html|html|head|body|script|iframe|object|embed|meta)\b/.test(head))
    return 'text/html';
  if (/<\?xml\b/.test(head)) return 'application/xml';
  return null;
}
