// Download, delete, restore and purge for one file, each shown only to roles the server lets do it, with confirmations.
import { useState } from 'react';
import type { FileRecord, FileVerifyResult, Role } from '@fieldvault/shared/schemas';
import { FileConfirm, type ConfirmKind } from './file-confirm';
import { retentionText } from './file-facts';
import type { OfficeApi } from './office-api';
import type { OfficeContext } from './office-section';
import { fileActionsFor, may, type FileAction, type OfferedAction } from './permissions';

type Confirming = ConfirmKind | null;
type Outcome = { ok: boolean; text: string } | null;

/** Files up to this size are fetched and checked in the page before saving; larger ones stream to disk. */
export const CHECKED_DOWNLOAD_MAX = 64 * 1024 * 1024;

async function sha256Hex(bytes: ArrayBuffer): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}

function saveAs(href: string, filename: string): void {
  const link = document.createElement('a');
  link.href = href;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
}

/**
 * Saves the file under its original name from a short-lived attachment URL. Receipt-sized files are fetched
 * and hashed first, so what lands on disk is proven to be the bytes the device captured; larger files are
 * handed to the browser as a link so they stream to disk instead of filling page memory.
 */
export async function startDownload(api: OfficeApi, file: FileRecord): Promise<string> {
  const signed = await api.downloadUrl({ id: file.id, disposition: 'attachment' });
  if (file.size > CHECKED_DOWNLOAD_MAX) {
    saveAs(signed.url, signed.filename);
    return `Downloading ${signed.filename}.`;
  }
  const response = await fetch(signed.url, { headers: signed.headers });
  if (!response.ok) throw new Error(`Storage answered ${response.status}; try again.`);
  const bytes = await response.arrayBuffer();
  if ((await sha256Hex(bytes)) !== file.sha256)
    throw new Error('The downloaded bytes do not match the SHA-256 on record; nothing was saved.');
  const href = URL.createObjectURL(new Blob([bytes], { type: file.contentType }));
  saveAs(href, signed.filename);
  // The download manager reads the blob asynchronously: revoking at once can cancel the download.
  window.setTimeout(() => URL.revokeObjectURL(href), 60_000);
  return `Downloaded ${signed.filename}: its SHA-256 matches the record.`;
}

/** What "Verify now" found, in words. */
export function verifyOutcome(result: FileVerifyResult): string {
  if (result.state === 'verified')
    return `Verified now: the stored bytes still hash to the device's SHA-256 (${result.expectedSha256.slice(0, 12)}…).`;
  if (result.state === 'missing' || result.actualSha256 === null)
    return 'Missing: the stored object was not found in storage, so it cannot be checked or downloaded. If it is put back (from a backup), Verify now checks it again.';
  return `Mismatch: the stored bytes hash to ${result.actualSha256.slice(0, 12)}…, not the device's ${result.expectedSha256.slice(0, 12)}….`;
}

/** Props for {@link FileActions}. */
export interface FileActionsProps {
  ctx: OfficeContext;
  file: FileRecord;
  online: boolean;
  /** Called with the record the server answered after a change (or null after a purge). */
  onChanged: (file: FileRecord | null) => void;
}

function useRunner(setOutcome: (o: Outcome) => void) {
  const [busy, setBusy] = useState(false);
  const run = async (action: () => Promise<string>): Promise<boolean> => {
    setBusy(true);
    try {
      setOutcome({ ok: true, text: await action() });
      return true;
    } catch (error) {
      setOutcome({ ok: false, text: error instanceof Error ? error.message : String(error) });
      return false;
    } finally {
      setBusy(false);
    }
  };
  return { busy, run };
}

const LABEL: Record<FileAction, string> = {
  verify: 'Verify now',
  delete: 'Delete',
  restore: 'Restore',
  purge: 'Purge',
};

/** Sends a confirmed delete, restore or purge; answers the file after it (null once purged) and the outcome. */
async function applyConfirmed(
  api: OfficeApi,
  file: FileRecord,
  change: { kind: ConfirmKind; reason: string },
): Promise<{ file: FileRecord | null; text: string }> {
  const name = file.originalFilename;
  if (change.kind === 'delete') {
    const reason = change.reason.trim();
    const next = await api.deleteFile({ id: file.id, ...(reason ? { reason } : {}) });
    return { file: next, text: `Deleted ${name}.` };
  }
  if (change.kind === 'restore')
    return { file: await api.restoreFile(file.id), text: `Restored ${name}.` };
  await api.purgeFile(file.id);
  // The server keeps the record as a `purged` tombstone; show it (null only if it cannot be read back).
  const tombstone = await api.getFile(file.id).catch(() => null);
  return { file: tombstone, text: `Purged ${name}: it is gone from storage.` };
}

/** Why Download is disabled, in words (nothing when it is not, or when a purged file offers none). */
function DownloadNote({ status }: { status: FileRecord['status'] }) {
  if (status === 'verified' || status === 'purged') return null;
  const why =
    status === 'missing'
      ? 'Download is not possible: the stored object is missing from storage.'
      : 'Only verified files can be downloaded.';
  return <p data-testid="download-note">{why}</p>;
}

function ActionNotes({
  file,
  role,
  online,
  offered,
}: {
  file: FileRecord;
  role: Role;
  online: boolean;
  offered: OfferedAction[];
}) {
  const blocked = offered.filter((a) => a.blockedBy !== null);
  return (
    <>
      {!online ? (
        <p className="office-notice">Offline — downloading and changing files need the server.</p>
      ) : null}
      <DownloadNote status={file.status} />
      {blocked.map((a) => (
        <p key={a.action}>
          {LABEL[a.action]} is refused: {a.blockedBy} ({retentionText(file.retentionUntil)}).
        </p>
      ))}
      {!may(role, 'files.mutate') ? (
        <p data-testid="read-only-note">
          Your role ({role}) can read and download files, not change them.
        </p>
      ) : null}
    </>
  );
}

/** The action buttons, their confirmations and the last outcome. */
export function FileActions({ ctx, file, online, onChanged }: FileActionsProps) {
  const [confirming, setConfirming] = useState<Confirming>(null);
  const [reason, setReason] = useState('');
  const [outcome, setOutcome] = useState<Outcome>(null);
  const { busy, run } = useRunner(setOutcome);
  const { api, me } = ctx;
  const offered = fileActionsFor(me.role, file);
  const verifyNow = () =>
    run(async () => {
      const result = await api.verifyFile(file.id);
      onChanged(result.file);
      return verifyOutcome(result);
    });
  const confirm = async (kind: ConfirmKind) => {
    const done = await run(async () => {
      const result = await applyConfirmed(api, file, { kind, reason });
      onChanged(result.file);
      return result.text;
    });
    if (done) setConfirming(null);
  };

  return (
    <section aria-labelledby="actions-title">
      <h2 id="actions-title">Actions</h2>
      <div className="office-actions">
        {file.status !== 'purged' ? (
          <button
            type="button"
            className="office-button"
            disabled={!online || busy || file.status !== 'verified'}
            onClick={() => void run(() => startDownload(api, file))}
          >
            Download
          </button>
        ) : null}
        {offered.map(({ action, blockedBy }) => (
          <button
            key={action}
            type="button"
            className="office-button office-button--quiet"
            disabled={!online || busy || blockedBy !== null}
            onClick={() => (action === 'verify' ? void verifyNow() : setConfirming(action))}
          >
            {LABEL[action]}
          </button>
        ))}
      </div>
      <ActionNotes file={file} role={me.role} online={online} offered={offered} />
      {confirming !== null ? (
        <FileConfirm
          kind={confirming}
          filename={file.originalFilename}
          busy={busy}
          reason={reason}
          setReason={setReason}
          onConfirm={() => void confirm(confirming)}
          onCancel={() => setConfirming(null)}
        />
      ) : null}
      {outcome ? (
        <p
          role={outcome.ok ? 'status' : 'alert'}
          className={outcome.ok ? 'outcome--ok' : 'office-error'}
        >
          {outcome.text}
        </p>
      ) : null}
    </section>
  );
}
