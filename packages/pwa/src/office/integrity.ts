// The integrity badge of a file, decided from its record alone: verified, mismatch, not yet verified, duplicate.
import type { FileRecord } from '@fieldvault/shared/schemas';
import { formatTimeNear, type FormatOptions } from './format';

/** How the badge looks: good news, bad news, worth a look (possible duplicate), or neutral. */
export type BadgeTone = 'ok' | 'danger' | 'warning' | 'pending';

/** One badge: what it says, and the file it points at (the other copy of a duplicate) with the link's words. */
export interface Badge {
  kind:
    'verified' | 'mismatch' | 'pending' | 'missing' | 'purged' | 'duplicate' | 'possible-duplicate';
  tone: BadgeTone;
  text: string;
  link?: { to: string; label: string };
}

type BadgeFile = Pick<
  FileRecord,
  | 'status'
  | 'verifiedAt'
  | 'capturedAt'
  | 'deviceLabel'
  | 'duplicateOf'
  | 'receivedAt'
  | 'duplicates'
>;

function deviceClause(file: BadgeFile, options: FormatOptions, reference: string): string {
  const captured = formatTimeNear(file.capturedAt, reference, options);
  return file.deviceLabel === null
    ? `the device hash captured ${captured}`
    : `the device hash captured ${captured} on device '${file.deviceLabel}'`;
}

/**
 * A file whose bytes are known not to match: `mismatch`, or deleted without ever being verified (the server
 * refuses to delete a file still uploading, and restores such a file to `mismatch`).
 */
function isMismatch(file: BadgeFile): boolean {
  return file.status === 'mismatch' || (file.status === 'deleted' && file.verifiedAt === null);
}

/**
 * The hash badge. A deleted file keeps the verdict it had: `verifiedAt` is set only when the stored bytes
 * hashed to the device's SHA-256, so it (with the status) says whether the bytes were proven.
 */
function hashBadge(file: BadgeFile, options: FormatOptions): Badge {
  if (isMismatch(file)) {
    return {
      kind: 'mismatch',
      tone: 'danger',
      text: `SHA-256 mismatch — the stored bytes do not match ${deviceClause(file, options, file.receivedAt)}. The file is quarantined; the device keeps its copy.`,
    };
  }
  if (file.status === 'pending') {
    return {
      kind: 'pending',
      tone: 'pending',
      text: 'Not verified yet — the upload has not finished, so the server has not hashed the bytes.',
    };
  }
  if (file.status === 'purged') {
    return {
      kind: 'purged',
      tone: 'pending',
      text: 'Purged — the bytes are gone for good; the SHA-256 the device captured stays on record with the audit trail.',
    };
  }
  if (file.status === 'missing') {
    return {
      kind: 'missing',
      tone: 'danger',
      text: `Missing from storage — the stored object was not found, so its bytes cannot be checked against ${deviceClause(file, options, file.receivedAt)}.`,
    };
  }
  if (file.verifiedAt !== null && (file.status === 'verified' || file.status === 'deleted')) {
    const at = file.verifiedAt;
    return {
      kind: 'verified',
      tone: 'ok',
      text: `SHA-256 verified at ${formatTimeNear(at, at, options)} — matches ${deviceClause(file, options, at)}`,
    };
  }
  // Any other state means the bytes cannot be vouched for now.
  return {
    kind: 'mismatch',
    tone: 'danger',
    text: `Not verified — the file is ${file.status}; its bytes cannot be checked against the device hash.`,
  };
}

type Duplicate = NonNullable<FileRecord['duplicates']>['exact'][number];

function duplicateBadge(dup: Duplicate): Badge {
  const facts = [dup.vendor, dup.amount].filter((v): v is string => v !== null).join(', ');
  return {
    kind: dup.kind === 'exact' ? 'duplicate' : 'possible-duplicate',
    // Same bytes is a fact (neutral); a possible duplicate needs a person to look (warning).
    tone: dup.kind === 'exact' ? 'pending' : 'warning',
    text: `${dup.label} — ${dup.originalFilename}${facts ? ` (${facts})` : ''}`,
    link: { to: `/files/${dup.id}`, label: `Open ${dup.originalFilename}` },
  };
}

/**
 * The duplicate badges: from `duplicates` when the record carries them (files.get), exact ones first;
 * otherwise, for list rows, the `duplicateOf` link to the file that had the bytes first.
 */
function duplicateBadges(file: BadgeFile): Badge[] {
  if (file.duplicates !== undefined)
    return [...file.duplicates.exact, ...file.duplicates.possible].map(duplicateBadge);
  if (file.duplicateOf === null) return [];
  return [
    {
      kind: 'duplicate',
      tone: 'pending',
      text: 'Exact duplicate — the same SHA-256 as a file already in the vault',
      link: { to: `/files/${file.duplicateOf}`, label: 'Open the original' },
    },
  ];
}

/** The badges for a file: the hash verdict first, then its exact and possible duplicates with links. */
export function integrityBadges(file: BadgeFile, options: FormatOptions = {}): Badge[] {
  return [hashBadge(file, options), ...duplicateBadges(file)];
}
