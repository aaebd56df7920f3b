// Filename sanitising: hostile names from the field, and properties that must hold for every string.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  FALLBACK_FILENAME,
  MAX_FILENAME_BYTES,
  extensionOf,
  sanitizeFilename,
  splitExtension,
  truncateUtf8,
  utf8ByteLength,
} from './filename.js';

const utf8Bytes = (s: string): number => new TextEncoder().encode(s).length;
/** No lone surrogate (String.prototype.isWellFormed is ES2024, beyond this package's lib). */
const isWellFormed = (s: string): boolean => !/\p{Cs}/u.test(s);

// Control (C0, DEL, C1), bidi embedding/override/isolate/mark and zero-width characters, spelled out
// independently of the implementation's Unicode categories.
const FORBIDDEN =
  // eslint-disable-next-line no-control-regex -- finding control characters is the point
  /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060\u2066-\u2069\u061c\ufeff/\\]/u;

/** Strings rich in the characters the sanitiser must handle. */
const hostileString = fc
  .array(
    fc.oneof(
      fc.string({ unit: 'binary' }),
      fc.constantFrom(
        '.',
        '..',
        ' ',
        '/',
        '\\',
        '\u0000',
        '\u202e',
        '\u200b',
        '\ud800',
        '\udfff',
        'e\u0301',
        'CON',
        '😀',
        '\u1fef',
        '\u0f73',
        '\u0338',
        '<',
        '\u037e',
        '\u1100\u1161',
        '\u3000',
      ),
      fc.string({ unit: 'grapheme', maxLength: 5 }),
    ),
    { maxLength: 40 },
  )
  .map((chunks) => chunks.join(''));

const anyString = fc.oneof(fc.string({ unit: 'binary', maxLength: 400 }), hostileString);

describe('sanitizeFilename properties', () => {
  it('is idempotent', () => {
    fc.assert(
      fc.property(anyString, (name) => {
        const once = sanitizeFilename(name);
        expect(sanitizeFilename(once)).toBe(once);
      }),
      { numRuns: 3000 },
    );
  });

  it('always yields a safe, bounded, non-empty NFC name', () => {
    fc.assert(
      fc.property(anyString, (name) => {
        const safe = sanitizeFilename(name);
        expect(safe.length).toBeGreaterThan(0);
        expect(safe).not.toMatch(FORBIDDEN);
        expect(safe).not.toMatch(/^[. ]|[. ]$/);
        expect(['.', '..']).not.toContain(safe);
        expect(utf8Bytes(safe)).toBeLessThanOrEqual(MAX_FILENAME_BYTES);
        expect(safe.normalize('NFC')).toBe(safe);
        expect(isWellFormed(safe)).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });

  it('leaves ordinary names alone', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9 _-]{0,60}[A-Za-z0-9]\.(jpg|pdf|png)$/),
        (name) => {
          expect(sanitizeFilename(name)).toBe(name);
        },
      ),
    );
  });
});

describe('sanitizeFilename on hostile names', () => {
  const emoji300 = `${'😀'.repeat(300)}.jpg`;
  const long2k = `${'a'.repeat(2048)}.pdf`;

  it.each([
    ['a relative path up', '../../etc/passwd', '_.._etc_passwd'],
    ['a Windows path up', '..\\..\\win.ini', '_.._win.ini'],
    ['an embedded NUL', 'a\u0000b.jpg', 'ab.jpg'],
    ['a right-to-left override hiding .exe', 'invoice\u202Egpj.exe', 'invoicegpj.exe'],
    ['bidi isolates and marks', '\u2066a\u2069\u200e\u200f\u061cb.pdf', 'ab.pdf'],
    ['zero-width characters', 'in\u200bvo\u200cice\u200d\ufeff\u2060.pdf', 'invoice.pdf'],
    ['C1 controls and DEL', 'a\u0085\u009b\u007fb.txt', 'ab.txt'],
    ['a reserved device name', 'CON.jpg', '_CON.jpg'],
    ['a lowercase reserved name without extension', 'nul', '_nul'],
    ['a reserved name with two extensions', 'com1.tar.gz', '_com1.tar.gz'],
    ['a reserved name with a trailing space', 'LPT9 .txt', '_LPT9 .txt'],
    ['a name that only starts like a reserved one', 'CONTRACT.pdf', 'CONTRACT.pdf'],
    ['only dots', '....', FALLBACK_FILENAME],
    ['only spaces', '     ', FALLBACK_FILENAME],
    ['dots and spaces', ' . .. . ', FALLBACK_FILENAME],
    ['a single dot', '.', FALLBACK_FILENAME],
    ['two dots', '..', FALLBACK_FILENAME],
    ['empty', '', FALLBACK_FILENAME],
    ['only invisible characters', '\u202e\u200b\u0000', FALLBACK_FILENAME],
    ['a hidden file', '.htaccess', 'htaccess'],
    ['trailing dots and spaces', 'receipt.pdf. . ', 'receipt.pdf'],
    ['Windows-forbidden characters', 'a:b*c?d"e<f>g|h.png', 'a_b_c_d_e_f_g_h.png'],
    ['S3-unsafe characters', 'r{1}^%`[2]~#+@.jpg', 'r_1_____2_____.jpg'],
    ['a line separator', 'a\u2028b.txt', 'a b.txt'],
    ['a lone surrogate', 'a\ud800b.jpg', 'ab.jpg'],
    ['NFD input', 'Ame\u0301lie.jpg', 'Am\u00e9lie.jpg'],
  ])('handles %s', (_label, input, expected) => {
    expect(sanitizeFilename(input)).toBe(expected);
  });

  it('cuts 300 emoji to the byte limit on a code-point boundary and keeps the extension', () => {
    const safe = sanitizeFilename(emoji300);
    expect(safe.endsWith('.jpg')).toBe(true);
    expect(utf8Bytes(safe)).toBeLessThanOrEqual(MAX_FILENAME_BYTES);
    expect(utf8Bytes(safe)).toBeGreaterThan(MAX_FILENAME_BYTES - 4);
    expect(isWellFormed(safe)).toBe(true);
    expect(safe).toBe(`${'😀'.repeat(39)}.jpg`);
  });

  it('cuts a 2 KB name to the byte limit (at most 200) and keeps the extension', () => {
    const safe = sanitizeFilename(long2k);
    expect(MAX_FILENAME_BYTES).toBeLessThanOrEqual(200);
    expect(safe).toBe(`${'a'.repeat(156)}.pdf`);
    expect(utf8Bytes(safe)).toBe(MAX_FILENAME_BYTES);
  });

  it('drops an implausibly long "extension" rather than keep it whole', () => {
    const safe = sanitizeFilename(`x.${'y'.repeat(300)}`);
    expect(utf8Bytes(safe)).toBe(MAX_FILENAME_BYTES);
    expect(safe.startsWith('x.yyy')).toBe(true);
  });

  it('maps NFD and NFC spellings of one name to one result', () => {
    const nfc = 'Zoë Café Ångström.pdf'.normalize('NFC');
    const nfd = nfc.normalize('NFD');
    expect(nfd).not.toBe(nfc);
    expect(sanitizeFilename(nfd)).toBe(sanitizeFilename(nfc));
  });

  it('never throws, even on a non-string at run time', () => {
    expect(sanitizeFilename(undefined as unknown as string)).toBe(FALLBACK_FILENAME);
    expect(sanitizeFilename(42 as unknown as string)).toBe(FALLBACK_FILENAME);
  });
});

describe('splitExtension and byte helpers', () => {
  it.each([
    ['scan.2024.PDF', { base: 'scan.2024', ext: 'PDF' }],
    ['noext', { base: 'noext', ext: '' }],
    ['.profile', { base: '.profile', ext: '' }],
    ['trailing.', { base: 'trailing.', ext: '' }],
  ])('splits %s', (name, parts) => {
    expect(splitExtension(name)).toEqual(parts);
  });

  it('lowercases the extension', () => {
    expect(extensionOf('IMG_0001.JPEG')).toBe('jpeg');
  });

  it('counts UTF-8 bytes like TextEncoder and truncates on code points', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), fc.nat(100), (text, max) => {
        expect(utf8ByteLength(text)).toBe(utf8Bytes(text));
        const cut = truncateUtf8(text, max);
        expect(text.startsWith(cut)).toBe(true);
        expect(utf8Bytes(cut)).toBeLessThanOrEqual(max);
        expect(isWellFormed(cut)).toBe(true);
      }),
    );
  });
});
