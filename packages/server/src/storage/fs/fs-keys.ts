// Object keys → paths under the fs root, refusing anything that could escape it or collide with our own files.
import path from 'node:path';
import { StorageError } from '../errors.js';

/** Longest key we accept, in UTF-8 bytes (S3's own limit). */
const MAX_KEY_BYTES = 1024;
/** Longest encoded path segment; ext4 and most filesystems stop at 255 bytes per name. */
const MAX_SEGMENT_BYTES = 200;
// Control characters (incl. NUL), backslash (a separator on Windows and in many tools) are refused.
// eslint-disable-next-line no-control-regex
const FORBIDDEN = /[\u0000-\u001f\u007f\\]/;

/**
 * Throw `invalid_key` unless `key` is a relative, normalised, `/`-separated key: no leading `/`,
 * no empty, `.` or `..` segments, no control characters or backslashes, bounded length.
 * Percent signs are ordinary characters (keys are never URL-decoded twice), so `%2e%2e` is just a name.
 */
export function assertSafeKey(key: string): void {
  const bad = (why: string): never => {
    throw new StorageError('invalid_key', `invalid object key (${why})`);
  };
  if (key.length === 0) bad('empty');
  if (Buffer.byteLength(key) > MAX_KEY_BYTES) bad('too long');
  if (FORBIDDEN.test(key)) bad('control character or backslash');
  if (key.startsWith('/')) bad('absolute');
  for (const segment of key.split('/')) {
    if (segment === '' || segment === '.' || segment === '..') bad('empty, "." or ".." segment');
    if (Buffer.byteLength(encodeSegment(segment)) > MAX_SEGMENT_BYTES) bad('segment too long');
  }
}

/**
 * Names on disk: `%` and `@` are percent-encoded, so an encoded segment never contains `@`.
 * That leaves `@` free for our own names: directories end in `@` (so object `a/b` and `a/b/c` can
 * coexist), sidecars end in `@meta.json`, and `@tmp` / `@uploads` at the root can never be a key.
 */
function encodeSegment(segment: string): string {
  return segment.replace(/[%@]/g, (ch) => (ch === '%' ? '%25' : '%40'));
}

function decodeSegment(name: string): string {
  return name.replace(/%25|%40/g, (seq) => (seq === '%25' ? '%' : '@'));
}

/** Where the bytes and the metadata sidecar of `key` live under `root`. */
export function keyPaths(root: string, key: string): { file: string; meta: string } {
  assertSafeKey(key);
  const segments = key.split('/').map(encodeSegment);
  const leaf = segments.pop() ?? '';
  const dir = path.join(root, ...segments.map((s) => `${s}@`));
  const file = path.join(dir, leaf);
  // Belt and braces: whatever the encoding, the result must stay inside root.
  if (!file.startsWith(path.join(root) + path.sep))
    throw new StorageError('invalid_key', 'key escapes root');
  return { file, meta: path.join(dir, `${leaf}@meta.json`) };
}

/** Directory name on disk → key segment, or undefined for names that are not key directories. */
export function dirNameToSegment(name: string): string | undefined {
  return name.endsWith('@') && !name.slice(0, -1).includes('@')
    ? decodeSegment(name.slice(0, -1))
    : undefined;
}

/** File name on disk → key segment, or undefined for sidecars and temp files. */
export function fileNameToSegment(name: string): string | undefined {
  return name.includes('@') ? undefined : decodeSegment(name);
}

/** The directory path (under root) that holds every key starting with `prefix`, as far as it is fixed. */
export function prefixDir(root: string, prefix: string): { dir: string; keyPrefix: string } {
  const cut = prefix.lastIndexOf('/');
  if (cut < 0) return { dir: root, keyPrefix: '' };
  const fixed = prefix.slice(0, cut);
  assertSafeKey(fixed);
  return {
    dir: path.join(root, ...fixed.split('/').map((s) => `${encodeSegment(s)}@`)),
    keyPrefix: `${fixed}/`,
  };
}
