// Content-Disposition values per RFC 6266 (+ RFC 8187 `filename*`), shared by every backend's presigned GET.

/** RFC 8187 attr-char: everything else in `filename*` is percent-encoded from UTF-8. */
const ATTR_CHAR = /[A-Za-z0-9!#$&+\-.^_`|~]/;

/** Percent-encode a string as RFC 8187 `value-chars` (UTF-8 bytes, attr-char kept). */
function encodeRfc8187(value: string): string {
  let out = '';
  for (const byte of new TextEncoder().encode(value)) {
    const ch = String.fromCharCode(byte);
    out +=
      byte < 0x80 && ATTR_CHAR.test(ch)
        ? ch
        : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/**
 * ASCII-only fallback for old clients: non-ASCII, control characters, quotes and backslashes become
 * `_` (a quoted-string could escape `"`, but several browsers mishandle the escape).
 */
function asciiFallback(name: string): string {
  const replaced = name
    .normalize('NFC')
    .replace(/[^\x20-\x7e]|["\\]/g, '_')
    .trim();
  return replaced === '' ? 'download' : replaced;
}

/**
 * Build a Content-Disposition header value, e.g.
 * `attachment; filename="r_sum_.pdf"; filename*=UTF-8''r%C3%A9sum%C3%A9.pdf`.
 * Without a filename only the disposition type is returned.
 */
export function contentDisposition(
  filename: string | undefined,
  type: 'attachment' | 'inline' = 'attachment',
): string {
  if (filename === undefined || filename === '') return type;
  const nfc = filename.normalize('NFC');
  return `${type}; filename="${asciiFallback(nfc)}"; filename*=UTF-8''${encodeRfc8187(nfc)}`;
}
