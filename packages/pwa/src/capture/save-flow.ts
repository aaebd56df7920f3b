// Saving picked files (kept as drafts) as captures: the shared upload gate, a room check, SHA-256 in the Worker, then the outbox.
import { checkUpload } from '@fieldvault/shared/check';
import { isObjectId } from '@fieldvault/shared/ids';
import { SNIFF_BYTES } from '@fieldvault/shared/sniff';
import { uploadCaptureDetails, type UploadCaptureDetails } from '@fieldvault/shared/schemas';
import type { HashResult } from '../hash/hash-types';
import type { Md5Pass } from '../hash/md5-pass';
import type { CaptureOwner, CaptureTarget, ThumbnailData } from '../outbox/schema';
import type { NewCapture, SaveCaptureInput } from '../outbox/save-capture';

/** What the capture form collects besides the files. */
export interface CaptureForm {
  system: CaptureTarget['system'];
  objectType: string;
  objectId: string;
  meta?: UploadCaptureDetails;
}

/** Everything the flow needs, injected (the app passes the hash Worker and the outbox). */
export interface CaptureSaverDeps {
  /** The capture-time SHA-256 (the hash Worker); also re-hashes the stored bytes before "Saved". */
  hash: (blob: Blob) => Promise<HashResult>;
  /**
   * The upload MD5s (the MD5 Worker), started in the background once a capture is saved; absent: the sync
   * engine computes them before the upload. Never awaited before "Saved": they are not the capture proof.
   */
  md5s?: Md5Pass;
  /** The outbox's `saveCapture` bound to its database. */
  save: (input: SaveCaptureInput) => Promise<unknown>;
  now: () => number;
  newId: () => string;
  deviceLabel: string;
  /** The signed-in user (cached `auth.me`) taking the captures; recorded on each so only they upload it. */
  owner: CaptureOwner;
  /** False when the device has no room for `bytes` more (the estimate); absent: always try. */
  hasRoom?: (bytes: number) => Promise<boolean>;
  /** Forgets the draft a capture was saved from (only after the capture is stored and verified). */
  forgetDraft?: (id: string) => Promise<void>;
}

/** One picked file: its draft id (which becomes the capture id), bytes, name and thumbnail. */
export interface CaptureSource {
  id: string;
  file: Blob;
  filename: string;
  thumbnail?: ThumbnailData;
}

/** The outcome for one file. */
export type SaveOutcome =
  | { id: string; filename: string; ok: true; captureId: string }
  | { id: string; filename: string; ok: false; message: string };

/** Said when the estimate shows the capture cannot fit; the draft stays for a later try. */
export const NO_ROOM_MESSAGE =
  'Not saved: this device is out of storage space. Upload or discard captures in the Outbox, then save again.';

async function firstBytes(file: Blob): Promise<Uint8Array> {
  return new Uint8Array(await file.slice(0, SNIFF_BYTES).arrayBuffer());
}

/** The shared gate on name, type, size and the first bytes; `null` when accepted. */
async function refusal(source: CaptureSource, form: CaptureForm) {
  const check = checkUpload({
    system: form.system,
    objectType: form.objectType,
    filename: source.filename,
    declaredType: source.file.type,
    size: source.file.size,
    firstBytes: await firstBytes(source.file),
  });
  return check.ok
    ? { contentType: check.contentType, message: null }
    : { contentType: null, message: check.reasons.map((r) => r.message).join(' ') };
}

function captureOf(source: CaptureSource, form: CaptureForm, at: { now: number }) {
  return {
    captureId: source.id,
    target: {
      system: form.system,
      objectType: form.objectType,
      objectId: form.objectId,
      capturedAt: new Date(at.now).toISOString(),
    },
    ...(form.meta ? { meta: form.meta } : {}),
    filename: source.filename,
    ...(source.thumbnail ? { thumbnail: source.thumbnail } : {}),
  };
}

/** Saves one file: refused files never reach the outbox; failures leave nothing behind (`saveCapture`). */
export async function saveOneCapture(
  deps: CaptureSaverDeps,
  source: CaptureSource,
  form: CaptureForm,
): Promise<SaveOutcome> {
  const { id, filename } = source;
  const refused = (message: string): SaveOutcome => ({ id, filename, ok: false, message });
  const checked = await refusal(source, form);
  if (checked.contentType === null) return refused(checked.message);
  if (deps.hasRoom && !(await deps.hasRoom(source.file.size))) return refused(NO_ROOM_MESSAGE);
  let hashes: HashResult;
  try {
    hashes = await deps.hash(source.file);
  } catch {
    return refused('Not saved: this device could not read the file to fingerprint it.');
  }
  try {
    const now = deps.now();
    const base = captureOf(source, form, { now });
    const capture: NewCapture = {
      ...base,
      contentType: checked.contentType,
      blob: source.file,
      hashes,
      deviceLabel: deps.deviceLabel,
      owner: deps.owner,
    };
    const md5s = deps.md5s ? { md5s: deps.md5s } : {};
    await deps.save({ capture, now, eventId: deps.newId(), verify: deps.hash, ...md5s });
  } catch (error) {
    const message = error instanceof Error ? error.message : 'The capture could not be saved.';
    return refused(`Not saved: ${message}`);
  }
  await deps.forgetDraft?.(id).catch(() => undefined);
  return { id, filename, ok: true, captureId: id };
}

/** Field names of the receipt details as the form labels them. */
const DETAIL_LABELS: Record<string, string> = {
  vendor: 'Vendor',
  amount: 'Amount',
  currency: 'Currency',
  note: 'Note',
  tags: 'Tags',
  receiptDate: 'Receipt date',
};

/**
 * Why the details would be refused by `uploads.begin` (the shared schema, checked now so a bad receipt
 * date or amount is fixed on the form, not found later as an upload that needs attention); null when fine.
 */
export function detailsRefusal(meta: UploadCaptureDetails | undefined): string | null {
  if (meta === undefined) return null;
  const parsed = uploadCaptureDetails.safeParse(meta);
  if (parsed.success) return null;
  return parsed.error.issues
    .map((issue) => {
      const field = String(issue.path[0] ?? '');
      return `${DETAIL_LABELS[field] ?? field}: ${issue.message}.`;
    })
    .join(' ');
}

/** Saves files one after another (one hash at a time keeps memory flat on phones). */
export async function saveCaptures(
  deps: CaptureSaverDeps,
  sources: readonly CaptureSource[],
  form: CaptureForm,
): Promise<SaveOutcome[]> {
  if (!isObjectId(form.objectId)) {
    const message =
      'Object id: use letters, digits, ".", "_" and "-", starting with a letter or digit (at most 128).';
    return sources.map(({ id, filename }) => ({ id, filename, ok: false, message }));
  }
  const refused = detailsRefusal(form.meta);
  if (refused !== null)
    return sources.map(({ id, filename }) => ({ id, filename, ok: false, message: refused }));
  const outcomes: SaveOutcome[] = [];
  for (const source of sources) outcomes.push(await saveOneCapture(deps, source, form));
  return outcomes;
}
