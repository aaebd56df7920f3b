// A file's legal hold beside its retention: admins place and release it, auditors read it, as the server's roles allow.
import { useCallback, useState } from 'react';
import type { FileRecord, LegalHoldStatus } from '@fieldvault/shared/schemas';
import { ConfirmPanel } from './confirm-panel';
import { retentionText } from './file-facts';
import { formatDateTime } from './format';
import type { OfficeContext } from './office-section';
import { may } from './permissions';
import { useQuery } from './use-query';

/** "Legal hold since 2026-11-23 14:03 by Jane Admin — case 42", or "No legal hold (released … by …)". */
export function legalHoldText(status: LegalHoldStatus): string {
  const change = status.lastChange;
  const who = change?.by?.name ?? 'the system';
  if (status.legalHold) {
    if (change?.action !== 'set') return 'Legal hold (placed outside the app)';
    return `Legal hold since ${formatDateTime(change.at)} by ${who}${change.reason ? ` — ${change.reason}` : ''}`;
  }
  return change?.action === 'released'
    ? `No legal hold (released ${formatDateTime(change.at)} by ${who})`
    : 'No legal hold';
}

/** Props for {@link FileLegalHold}. */
export interface FileLegalHoldProps {
  ctx: OfficeContext;
  file: FileRecord;
  online: boolean;
}

function HoldControl({
  ctx,
  file,
  status,
  online,
  done,
}: {
  ctx: OfficeContext;
  file: FileRecord;
  status: LegalHoldStatus;
  online: boolean;
  done: (message: string) => void;
}) {
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const hold = !status.legalHold;
  const verb = hold ? 'Place' : 'Release';
  const confirm = async () => {
    setBusy(true);
    setError(null);
    try {
      const trimmed = reason.trim();
      await ctx.api.setLegalHold({ id: file.id, hold, ...(trimmed ? { reason: trimmed } : {}) });
      setOpen(false);
      setReason('');
      done(hold ? 'Legal hold placed.' : 'Legal hold released.');
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };
  if (!open)
    return (
      <button
        type="button"
        className="office-button"
        disabled={!online}
        onClick={() => setOpen(true)}
      >
        {verb} legal hold
      </button>
    );
  return (
    <ConfirmPanel
      title={`${verb} a legal hold on ${file.originalFilename}?`}
      confirmLabel={`${verb} hold`}
      busy={busy}
      onConfirm={() => void confirm()}
      onCancel={() => setOpen(false)}
    >
      <p>
        {hold
          ? 'While held, the file cannot be purged, even after its retention ends.'
          : 'Without the hold, the file can be purged once deleted and its retention has ended.'}{' '}
        The change is recorded in the audit trail.
      </p>
      <label className="office-form">
        Reason (optional, recorded)
        <input value={reason} maxLength={500} onChange={(e) => setReason(e.target.value)} />
      </label>
      {error ? (
        <p className="office-error" role="alert">
          {error}
        </p>
      ) : null}
    </ConfirmPanel>
  );
}

/** The legal hold section of a file's page (admins and auditors; nothing for other roles). */
export function FileLegalHold({ ctx, file, online }: FileLegalHoldProps) {
  const { api, me } = ctx;
  const readable = may(me.role, 'legal-hold.read');
  const { state, reload } = useQuery(
    useCallback(
      () => (readable ? api.legalHoldStatus(file.id) : Promise.resolve(null)),
      // Asked again when the file changes (its version) or the connection comes back.
      [api, file.id, file.version, readable, online],
    ),
  );
  const [outcome, setOutcome] = useState<string | null>(null);
  if (!readable) return null;
  return (
    <section aria-labelledby="hold-title">
      <h2 id="hold-title">Legal hold and retention</h2>
      {state.status === 'loading' ? <p>Loading…</p> : null}
      {state.status === 'error' ? (
        <p className="office-error">
          {online ? state.message : 'Offline: the legal hold needs the server.'}
        </p>
      ) : null}
      {state.status === 'ready' && state.data !== null ? (
        <>
          <p data-testid="hold-retention">{retentionText(state.data.retentionUntil)}</p>
          <p data-testid="legal-hold" data-held={String(state.data.legalHold)}>
            {legalHoldText(state.data)}
          </p>
          {file.status === 'purged' ? (
            // Nothing is left for a hold to keep; the hold and retention above stay as evidence.
            <p data-testid="hold-purged">
              The bytes are purged: a legal hold has nothing left to keep.
            </p>
          ) : may(me.role, 'legal-hold.change') ? (
            <>
              {!online ? (
                <p className="office-notice">Offline — changing a legal hold needs the server.</p>
              ) : null}
              <HoldControl
                ctx={ctx}
                file={file}
                status={state.data}
                online={online}
                done={(message) => {
                  setOutcome(message);
                  void reload();
                }}
              />
            </>
          ) : (
            <p data-testid="hold-read-only">
              Your role ({me.role}) can see legal holds, not change them.
            </p>
          )}
          {outcome ? <p role="status">{outcome}</p> : null}
        </>
      ) : null}
    </section>
  );
}
