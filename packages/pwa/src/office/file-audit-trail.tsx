// The audit trail of one file (files.history, keyset pages) for the desk roles: office, admin and auditor.
import { useCallback, useEffect, useState } from 'react';
import type { FileHistoryEntry } from '@fieldvault/shared/schemas';
import { AuditTable } from './audit-table';
import type { OfficeApi } from './office-api';
import type { OfficeContext } from './office-section';
import { may } from './permissions';

/** Props for {@link FileAuditTrail}. */
export interface FileAuditTrailProps {
  ctx: OfficeContext;
  fileId: string;
  /** Changes whenever the file changes, so the trail reloads after an action. */
  revision: string;
  online: boolean;
}

/** Events shown per page; "Show older events" fetches the next page after the last seq shown. */
export const TRAIL_PAGE = 50;

type TrailState =
  | { status: 'loading' }
  | { status: 'ready'; events: FileHistoryEntry[]; nextCursor: string | null; more: boolean }
  | { status: 'error'; message: string };

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** The newest page of the trail, reloaded with `revision`; `older()` appends the next page. */
function useTrail(api: OfficeApi, q: { fileId: string; revision: string; enabled: boolean }) {
  const { fileId, revision, enabled } = q;
  const [state, setState] = useState<TrailState>({ status: 'loading' });
  useEffect(() => {
    if (!enabled) return;
    let live = true;
    api
      .fileHistory({ id: fileId, limit: TRAIL_PAGE })
      .then(
        (page) =>
          live &&
          setState({
            status: 'ready',
            events: page.items,
            nextCursor: page.nextCursor,
            more: false,
          }),
      )
      .catch((error: unknown) => live && setState({ status: 'error', message: messageOf(error) }));
    return () => {
      live = false;
    };
  }, [api, fileId, revision, enabled]);
  const older = useCallback(async () => {
    if (state.status !== 'ready' || state.nextCursor === null) return;
    setState({ ...state, more: true });
    try {
      const page = await api.fileHistory({
        id: fileId,
        limit: TRAIL_PAGE,
        cursor: state.nextCursor,
      });
      const events = [...state.events, ...page.items];
      setState({ status: 'ready', events, nextCursor: page.nextCursor, more: false });
    } catch (error) {
      setState({ status: 'error', message: messageOf(error) });
    }
  }, [api, fileId, state]);
  return { state, older };
}

/** Who touched the file and how (actor, role, IP, device, outcome), newest first. */
export function FileAuditTrail({ ctx, fileId, revision, online }: FileAuditTrailProps) {
  const allowed = may(ctx.me.role, 'files.history');
  const { state, older } = useTrail(ctx.api, { fileId, revision, enabled: allowed && online });

  let body;
  if (!allowed) body = <p>The audit trail is not shown to the {ctx.me.role} role.</p>;
  else if (!online) body = <p>Offline: the audit trail needs the server.</p>;
  else if (state.status === 'loading') body = <p>Loading the audit trail…</p>;
  else if (state.status === 'error') body = <p className="office-error">{state.message}</p>;
  else
    body = (
      <>
        <AuditTable caption="Audit trail of this file" events={state.events} />
        {state.nextCursor !== null ? (
          <button type="button" disabled={state.more} onClick={() => void older()}>
            {state.more ? 'Loading older events…' : 'Show older events'}
          </button>
        ) : null}
      </>
    );
  return (
    <section aria-labelledby="trail-title">
      <h2 id="trail-title">Audit trail</h2>
      {body}
    </section>
  );
}
