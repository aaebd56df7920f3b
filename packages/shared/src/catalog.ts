// The catalogue of systems and object types: which content types each accepts, how big, and how long it is kept.
import { MiB } from './parts.js';

const GiB = 1024 * MiB;

/** Content types for Office Open XML documents (OOXML: ZIP containers). */
export const OOXML = {
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
} as const;

/**
 * Every content type FieldVault knows, with the file extensions (lowercase, no dot) that may carry it.
 * HEIC and HEIF share both extensions: iPhones name `mif1`-branded HEIF files `.heic`.
 */
export const CONTENT_TYPE_EXTENSIONS = {
  'image/jpeg': ['jpg', 'jpeg'],
  'image/png': ['png'],
  'image/gif': ['gif'],
  'image/webp': ['webp'],
  'image/heic': ['heic', 'heif'],
  'image/heif': ['heif', 'heic'],
  'application/pdf': ['pdf'],
  'text/plain': ['txt'],
  'text/csv': ['csv'],
  'application/zip': ['zip'],
  [OOXML.docx]: ['docx'],
  [OOXML.xlsx]: ['xlsx'],
  [OOXML.pptx]: ['pptx'],
} as const satisfies Record<string, readonly string[]>;

/** A content type FieldVault knows. */
export type ContentType = keyof typeof CONTENT_TYPE_EXTENSIONS;

/** Non-standard names browsers and OSes report, mapped to the standard one (Chrome on Windows says `application/x-zip-compressed`). */
const CONTENT_TYPE_ALIASES: Readonly<Record<string, ContentType>> = {
  'image/jpg': 'image/jpeg',
  'image/pjpeg': 'image/jpeg',
  'application/x-zip-compressed': 'application/zip',
  'application/x-zip': 'application/zip',
  'application/x-pdf': 'application/pdf',
};

/** True when `value` is exactly one of the known content types. */
export function isContentType(value: string): value is ContentType {
  return Object.hasOwn(CONTENT_TYPE_EXTENSIONS, value);
}

/**
 * The known content type a declared one names, ignoring case, parameters (`; charset=utf-8`) and
 * common aliases; `null` when it names none of them (including the empty string browsers report).
 */
export function normalizeContentType(declared: string): ContentType | null {
  const essence = (declared.split(';')[0] ?? '').trim().toLowerCase();
  const type = CONTENT_TYPE_ALIASES[essence] ?? essence;
  return isContentType(type) ? type : null;
}

/** The extensions (lowercase, no dot) allowed for a content type. */
export function extensionsFor(contentType: ContentType): readonly string[] {
  return CONTENT_TYPE_EXTENSIONS[contentType];
}

/**
 * The content type a file extension (any case, no dot) stands for, or `null`. A type whose primary
 * (first-listed) extension it is wins (`heif` → image/heif), then the first type listing it at all.
 */
export function contentTypeForExtension(ext: string): ContentType | null {
  const wanted = ext.toLowerCase();
  const entries = Object.entries(CONTENT_TYPE_EXTENSIONS) as [ContentType, readonly string[]][];
  const match =
    entries.find(([, exts]) => exts[0] === wanted) ??
    entries.find(([, exts]) => exts.includes(wanted));
  return match ? match[0] : null;
}

/** The rules for one object type. */
export interface ObjectTypeRule {
  readonly contentTypes: readonly ContentType[];
  /** Largest accepted file, in bytes. */
  readonly maxSize: number;
  /** Default retention, in whole years after capture. */
  readonly retentionYears: number;
}

const IMAGES = ['image/jpeg', 'image/png', 'image/heic', 'image/heif', 'image/webp'] as const;
const PDF = 'application/pdf';
const DOCUMENTS = [
  PDF,
  ...IMAGES,
  'image/gif',
  'text/plain',
  'text/csv',
  OOXML.docx,
  OOXML.xlsx,
  OOXML.pptx,
] as const;

const rule = (
  contentTypes: readonly ContentType[],
  maxSize: number,
  retentionYears: number,
): ObjectTypeRule => ({
  contentTypes,
  maxSize,
  retentionYears,
});

/** Systems → object types → rules. Adding an object type is one line here. */
export const catalog = {
  accounting: {
    receipt: rule([...IMAGES, PDF], 25 * MiB, 7),
    invoice: rule([PDF, ...IMAGES], 25 * MiB, 7),
    export: rule(['text/csv', PDF, 'application/zip'], GiB, 7),
  },
  workspace: {
    document: rule(DOCUMENTS, 100 * MiB, 7),
  },
  communications: {
    attachment: rule(DOCUMENTS, 25 * MiB, 7),
  },
  'app-builder': {
    'app-zip': rule(['application/zip'], 5 * GiB, 1),
  },
} as const satisfies Record<string, Record<string, ObjectTypeRule>>;

/** A system name (`accounting`, `workspace`, …). */
export type SystemName = keyof typeof catalog;

/** An object-type name within system `S` (e.g. `receipt` in `accounting`). */
export type ObjectTypeName<S extends SystemName = SystemName> = S extends SystemName
  ? keyof (typeof catalog)[S] & string
  : never;

/** Every system name. */
export const SYSTEMS = Object.keys(catalog) as [SystemName, ...SystemName[]];

/** True when `system` is a known system. */
export function isSystem(system: string): system is SystemName {
  return Object.hasOwn(catalog, system);
}

/** The rule for `system/objectType`, or `undefined` when either is unknown (safe on any strings, including `__proto__`). */
export function getObjectType(system: string, objectType: string): ObjectTypeRule | undefined {
  if (!isSystem(system)) return undefined;
  const types: Readonly<Record<string, ObjectTypeRule>> = catalog[system];
  return Object.hasOwn(types, objectType) ? types[objectType] : undefined;
}

/** Every `system/objectType` pair with its rule, in catalogue order. */
export function listObjectTypes(): {
  system: SystemName;
  objectType: string;
  rule: ObjectTypeRule;
}[] {
  return SYSTEMS.flatMap((system) =>
    Object.entries(catalog[system] as Readonly<Record<string, ObjectTypeRule>>).map(
      ([objectType, r]) => ({
        system,
        objectType,
        rule: r,
      }),
    ),
  );
}

/**
 * When the default retention of `rule` ends for a file captured at `capturedAt`: the same UTC
 * instant `retentionYears` later (29 February rolls to 1 March in a non-leap year).
 */
export function retentionUntil(rule: ObjectTypeRule, capturedAt: Date): Date {
  const until = new Date(capturedAt.getTime());
  until.setUTCFullYear(until.getUTCFullYear() + rule.retentionYears);
  return until;
}
