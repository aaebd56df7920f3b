// The upload gate: one function deciding whether a file may be uploaded as a given object type, run on both sides.
import {
  OOXML,
  contentTypeForExtension,
  extensionsFor,
  getObjectType,
  isSystem,
  normalizeContentType,
  type ContentType,
  type ObjectTypeRule,
} from './catalog.js';
import { FieldVaultError, type ErrorCode } from './errors.js';
import { extensionOf, sanitizeFilename } from './filename.js';
import { partPlan, type PartPlan } from './parts.js';
import { sniffContentType } from './sniff.js';

/** Why an upload was refused, each mapped to the shared error code it becomes. */
export const CHECK_REASONS = {
  UNKNOWN_SYSTEM: 'BAD_INPUT',
  UNKNOWN_OBJECT_TYPE: 'BAD_INPUT',
  BAD_SIZE: 'BAD_INPUT',
  EMPTY_FILE: 'EMPTY_FILE',
  TOO_LARGE: 'TOO_LARGE',
  NOT_ALLOWED_TYPE: 'NOT_ALLOWED_TYPE',
  TYPE_MISMATCH: 'TYPE_MISMATCH',
  EXTENSION_MISMATCH: 'TYPE_MISMATCH',
} as const satisfies Record<string, ErrorCode>;

/** One reason code of {@link CHECK_REASONS}. */
export type CheckReasonCode = keyof typeof CHECK_REASONS;

/** One reason an upload is refused; `message` is fit to show the user. */
export interface CheckReason {
  code: CheckReasonCode;
  message: string;
}

/** What {@link checkUpload} looks at. */
export interface UploadCandidate {
  system: string;
  objectType: string;
  /** The original filename; it is sanitised before its extension is checked. */
  filename: string;
  /** The type the client declares (`File.type`); empty or `application/octet-stream` is inferred. */
  declaredType: string;
  size: number;
  /** The first `SNIFF_BYTES` of the file, or `null` when the bytes are not at hand yet (server at `begin`). */
  firstBytes: Uint8Array | null;
}

/** The verdict of {@link checkUpload}. */
export type CheckResult =
  | { ok: true; contentType: ContentType; safeFilename: string; plan: PartPlan }
  | { ok: false; reasons: CheckReason[] };

const OOXML_TYPES: readonly ContentType[] = Object.values(OOXML);

/** The type whose signature `type`'s bytes carry: HEIC and HEIF share containers, CSV is plain text, OOXML is ZIP. */
function signatureOf(type: ContentType): ContentType {
  if (type === 'image/heif') return 'image/heic';
  if (type === 'text/csv') return 'text/plain';
  return OOXML_TYPES.includes(type) ? 'application/zip' : type;
}

/**
 * True when bytes that sniff as `sniffed` are consistent with the declared type. A ZIP may be
 * declared as OOXML and vice versa (a ZIP can start with a `word/` folder), but two different
 * OOXML kinds never match.
 */
export function bytesMatchType(declared: ContentType, sniffed: ContentType | null): boolean {
  if (sniffed === null) return false;
  if (sniffed === declared) return true;
  if (OOXML_TYPES.includes(declared) && OOXML_TYPES.includes(sniffed)) return false;
  return signatureOf(declared) === signatureOf(sniffed);
}

const reason = (code: CheckReasonCode, message: string): CheckReason => ({ code, message });

/** Why `system/objectType` is not in the catalogue (empty when it is). */
function targetReasons(system: string, objectType: string): CheckReason[] {
  if (!isSystem(system)) return [reason('UNKNOWN_SYSTEM', `Unknown system "${system}".`)];
  if (getObjectType(system, objectType)) return [];
  return [reason('UNKNOWN_OBJECT_TYPE', `Unknown object type "${objectType}" in ${system}.`)];
}

/** Size reasons: not a byte count, empty, or over the rule's limit (when the rule is known). */
function sizeReasons(size: number, rule: ObjectTypeRule | null): CheckReason[] {
  if (!Number.isSafeInteger(size) || size < 0)
    return [reason('BAD_SIZE', 'The file size is not valid.')];
  if (size === 0) return [reason('EMPTY_FILE', 'The file is empty.')];
  if (rule && size > rule.maxSize) {
    return [
      reason('TOO_LARGE', `The file is ${size} bytes; at most ${rule.maxSize} are allowed here.`),
    ];
  }
  return [];
}

/** Declarations that only say "the browser does not know" (Android reports HEIC photos like this). */
const UNKNOWN_TYPE = /^\s*(?:application\/octet-stream\s*(?:;.*)?)?$/i;

/** The type the upload claims: the declared one, or when none is declared, the extension's or the bytes'. */
function claimedType(
  declaredType: string,
  ext: string,
  sniffed: ContentType | null,
): ContentType | null {
  if (!UNKNOWN_TYPE.test(declaredType)) return normalizeContentType(declaredType);
  return contentTypeForExtension(ext) ?? sniffed;
}

/** What the type checks compare: the claimed type, the filename's extension and what the bytes show. */
interface TypeEvidence {
  /** `null` when neither the declaration, the extension nor the bytes name a known type. */
  type: ContentType | null;
  declaredType: string;
  ext: string;
  /** `undefined` when the bytes are not at hand; `null` when they match no known type. */
  sniffed: ContentType | null | undefined;
}

/** Type reasons: disallowed type, bytes that disagree with it, an extension that disagrees with it. */
function typeReasons(
  { type, declaredType, ext, sniffed }: TypeEvidence,
  rule: ObjectTypeRule | null,
): CheckReason[] {
  if (!type) {
    const named = declaredType.trim() || 'unknown';
    return [reason('NOT_ALLOWED_TYPE', `Files of type "${named}" are not accepted.`)];
  }
  const reasons: CheckReason[] = [];
  if (rule && !rule.contentTypes.includes(type)) {
    const allowed = rule.contentTypes.join(', ');
    reasons.push(reason('NOT_ALLOWED_TYPE', `${type} is not allowed here; allowed: ${allowed}.`));
  }
  if (sniffed !== undefined && !bytesMatchType(type, sniffed)) {
    const actual = sniffed ?? 'not a recognised type';
    reasons.push(reason('TYPE_MISMATCH', `The file says ${type} but its content is ${actual}.`));
  }
  const allowedExts = extensionsFor(type);
  if (!allowedExts.includes(ext)) {
    const expected = allowedExts.map((e) => `.${e}`).join(' or ');
    const actual = ext ? `.${ext}` : 'no extension';
    reasons.push(
      reason('EXTENSION_MISMATCH', `A ${type} file must end in ${expected}, not ${actual}.`),
    );
  }
  return reasons;
}

/**
 * Decide whether a file may be uploaded as `system/objectType`. Reports *every* reason at once:
 * unknown system or type, bad/empty/oversized size, disallowed type, bytes that disagree with the
 * declared type, an extension that disagrees with it. Accepted uploads get their normalised
 * content type, sanitised filename and part plan. Bytes are checked only when `firstBytes` is given;
 * an empty or `application/octet-stream` `declaredType` is inferred from the extension, else the bytes.
 */
export function checkUpload(candidate: UploadCandidate): CheckResult {
  const rule = getObjectType(candidate.system, candidate.objectType) ?? null;
  const safeFilename = sanitizeFilename(candidate.filename);
  const ext = extensionOf(safeFilename);
  const sniffed = candidate.firstBytes ? sniffContentType(candidate.firstBytes) : undefined;
  const type = claimedType(candidate.declaredType, ext, sniffed ?? null);
  const reasons = [
    ...targetReasons(candidate.system, candidate.objectType),
    ...sizeReasons(candidate.size, rule),
    ...typeReasons({ type, declaredType: candidate.declaredType, ext, sniffed }, rule),
  ];
  if (!type || reasons.length > 0) return { ok: false, reasons };
  return { ok: true, contentType: type, safeFilename, plan: partPlan(candidate.size) };
}

/** The error to throw for a refused upload: the first reason's code, with every reason in `details.reasons`. */
export function checkError(reasons: readonly CheckReason[]): FieldVaultError {
  const first = reasons[0];
  const code: ErrorCode = first ? CHECK_REASONS[first.code] : 'BAD_INPUT';
  return new FieldVaultError(code, first?.message, { details: { reasons } });
}
