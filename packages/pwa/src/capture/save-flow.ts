// Saving picked files as captures: the shared upload gate on the first bytes, hash in the Worker, then the outbox.
import { checkUpload } from '@fieldvault/shared/check';
import { isObjectId } from '@fieldvault/shared/ids';
import { SNIFF_BYTES } from '@fieldvault/shared/sniff';
import type { CaptureDetails } from '@fieldvault/shared/schemas';
import type { HashResult } from '../hash/hash-types';
import type { CaptureTarget } from '../outbox/schema';
import type { NewCapture } from '../outbox/save-capture';

/** What the capture form collects besides the files. */
export interface CaptureForm {
  system: CaptureTarget['system'];
  objectType: string;
  objectId: string;
  meta?: CaptureDetails;
}

/** Everything the flow needs, injected (the app passes the hash Worker and the outbox). */
export interface CaptureSaverDeps {
  hash: (blob: Blob) => Promise<HashResult>;
  /** The outbox's `saveCapture` bound to its database. */
  save: (input: {
    capture: NewCapture;
    now: number;
    eventId: string;
    verify: (blob: Blob) => Promise<Pick<HashResult, 'sha256'>>;
  }) => Promise<unknown>;
  now: () => number;
  newId: () => string;
  deviceLabel: string;
}

/** The outcome for one file. */
export type SaveOutcome =
  | { filename: string; ok: true; captureId: string }
  | { filename: string; ok: false; message: string };

async function firstBytes(file: Blob): Promise<Uint8Array> {
  return new Uint8Array(await file.slice(0, SNIFF_BYTES).arrayBuffer());
}

/** Saves one file: refused files never reach the outbox; failures leave nothing behind (`saveCapture`). */
export async function saveOneCapture(
  deps: CaptureSaverDeps,
  file: File,
  form: CaptureForm,
): Promise<SaveOutcome> {
  const filename = file.name;
  const check = checkUpload({
    system: form.system,
    objectType: form.objectType,
    filename,
    declaredType: file.type,
    size: file.size,
    firstBytes: await firstBytes(file),
  });
  if (!check.ok)
    return { filename, ok: false, message: check.reasons.map((r) => r.message).join(' ') };
  let hashes: HashResult;
  try {
    hashes = await deps.hash(file);
  } catch {
    return {
      filename,
      ok: false,
      message: 'Not saved: this device could not read the file to fingerprint it.',
    };
  }
  try {
    const captureId = deps.newId();
    const now = deps.now();
    await deps.save({
      capture: {
        captureId,
        target: {
          system: form.system,
          objectType: form.objectType,
          objectId: form.objectId,
          capturedAt: new Date(now).toISOString(),
        },
        ...(form.meta ? { meta: form.meta } : {}),
        filename,
        contentType: check.contentType,
        blob: file,
        hashes,
        deviceLabel: deps.deviceLabel,
      },
      now,
      eventId: deps.newId(),
      verify: deps.hash,
    });
    return { filename, ok: true, captureId };
  } catch (error) {
    const message = error instanceof Error ? error.message : 'The capture could not be saved.';
    return { filename, ok: false, message: `Not saved: ${message}` };
  }
}

/** Saves files one after another (one hash at a time keeps memory flat on phones). */
export async function saveCaptures(
  deps: CaptureSaverDeps,
  files: readonly File[],
  form: CaptureForm,
): Promise<SaveOutcome[]> {
  if (!isObjectId(form.objectId)) {
    const message =
      'Object id: use letters, digits, ".", "_" and "-", starting with a letter or digit (at most 128).';
    return files.map((file) => ({ filename: file.name, ok: false, message }));
  }
  const outcomes: SaveOutcome[] = [];
  for (const file of files) outcomes.push(await saveOneCapture(deps, file, form));
  return outcomes;
}
