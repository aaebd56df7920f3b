// Filename sanitising: turns any user-supplied name into one that is safe in an S3 key and on Windows, macOS and Linux.

/**
 * Upper bound on a sanitised filename, in UTF-8 bytes. The issue asks for at most 200; 160 keeps the
 * key's last segment `{captureId}-{filename}` (37 + 160 bytes) within 200 bytes, which the disk
 * backend stores as one file name next to its own suffixes (ext4 and most filesystems stop at 255).
 */
export const MAX_FILENAME_BYTES = 160;
/** What an empty or all-invisible name becomes. */
export const FALLBACK_FILENAME = 'file';
/** Extensions longer than this (UTF-8 bytes, dot included) are not worth keeping when a name must be cut. */
const MAX_KEPT_EXTENSION_BYTES = 16;

// With the `u` flag \p{Cs} matches only *lone* surrogates; pairs are one code point. Cc covers C0,
// DEL and C1; Cf covers bidi embeddings, overrides and isolates (U+202A–202E, U+2066–2069), marks
// (U+200E, U+200F, U+061C), zero-width characters (U+200B–200D, U+2060, U+FEFF) and soft hyphens.
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Cs}]/gu;
// Line/paragraph separators and exotic spaces become a plain space (then trimmed like one).
const SPACES = /\p{Z}/gu;
// Forbidden on Windows (/ \ : * ? " < > |) plus what AWS lists as "characters to avoid" in keys
// ({ } ^ % ` [ ] ~ #), `+`, which form-decoding tools (and S3 event notifications) turn into a space,
// and `@`, which AWS flags for special handling and the disk backend percent-encodes (growing names).
const UNSAFE = /[/\\:*?"<>|{}^%`[\]~#+@]/g;
// Leading dots hide files (and make `.`/`..`); Windows silently drops trailing dots and spaces.
const LEADING = /^[. ]+/;
const TRAILING = /[. ]+$/;
// Windows device names, also with any extension (`CON.jpg`) and superscript digits (`COM¹`).
const RESERVED = /^(?:CON|PRN|AUX|NUL|COM[0-9¹²³]|LPT[0-9¹²³]|CONIN\$|CONOUT\$)(?:[. ]|$)/i;

/** Number of bytes `text` takes in UTF-8 (a lone surrogate counts as the 3 bytes of U+FFFD). */
export function utf8ByteLength(text: string): number {
  let bytes = 0;
  for (const ch of text) {
    const cp = ch.codePointAt(0) ?? 0;
    bytes += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
  }
  return bytes;
}

/** The longest prefix of `text` that fits in `maxBytes` of UTF-8, never splitting a code point. */
export function truncateUtf8(text: string, maxBytes: number): string {
  let bytes = 0;
  let end = 0;
  for (const ch of text) {
    bytes += utf8ByteLength(ch);
    if (bytes > maxBytes) break;
    end += ch.length;
  }
  return text.slice(0, end);
}

/**
 * Split `name` at its last dot: `{ base: 'scan.2024', ext: 'pdf' }`. `ext` has no dot and keeps its
 * case; it is empty when there is no dot, the only dot leads (`.profile`) or the name ends in a dot.
 */
export function splitExtension(name: string): { base: string; ext: string } {
  const dot = name.lastIndexOf('.');
  if (dot <= 0 || dot === name.length - 1) return { base: name, ext: '' };
  return { base: name.slice(0, dot), ext: name.slice(dot + 1) };
}

/** Cut `name` to {@link MAX_FILENAME_BYTES}, keeping a plausible extension whole. */
function fitBytes(name: string): string {
  if (utf8ByteLength(name) <= MAX_FILENAME_BYTES) return name;
  const { base, ext } = splitExtension(name);
  const suffix = ext && utf8ByteLength(ext) + 1 <= MAX_KEPT_EXTENSION_BYTES ? `.${ext}` : '';
  const stem = suffix ? base : name;
  // A prefix of an NFC string is NFC again, and the stem still starts with a safe character.
  const cut = truncateUtf8(stem, MAX_FILENAME_BYTES - utf8ByteLength(suffix)).replace(TRAILING, '');
  return cut + suffix;
}

/**
 * Make `name` safe to store and to hand back as a download name: Unicode NFC; control, bidi and
 * zero-width characters removed; path separators and other unsafe characters replaced with `_`;
 * no leading or trailing dots or spaces; Windows device names prefixed with `_`; at most
 * {@link MAX_FILENAME_BYTES} UTF-8 bytes with the extension kept; never empty (`file`).
 * Never throws, and is idempotent: `sanitizeFilename(sanitizeFilename(x)) === sanitizeFilename(x)`.
 */
export function sanitizeFilename(name: string): string {
  const raw = typeof name === 'string' ? name : '';
  // Invisible characters go before NFC so that what they separated can compose.
  const visible = raw.replace(INVISIBLE, '').normalize('NFC');
  // Replace after NFC: normalising can itself produce an unsafe character (U+1FEF → `).
  const safe = visible
    .replace(SPACES, ' ')
    .replace(UNSAFE, '_')
    .replace(LEADING, '')
    .replace(TRAILING, '');
  const unreserved = RESERVED.test(safe) ? `_${safe}` : safe;
  return fitBytes(unreserved) || FALLBACK_FILENAME;
}

/** The lowercase extension of a (sanitised) filename, without the dot; `''` when there is none. */
export function extensionOf(name: string): string {
  return splitExtension(name).ext.toLowerCase();
}
