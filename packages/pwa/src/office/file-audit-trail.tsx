// The audit trail of one file (audit.list filtered by file), for the roles the server lets read the log.
import { useEffect, useState } from 'react';
import type { AuditEvent } from '@fieldvault/shared/schemas';
import { AuditTable } from './audit-table';
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

type TrailState =
  | { status: 'loading' }
  | { status: 'ready'; events: AuditEvent[] }
  | { status: 'error'; message: string };

/** The newest 100 events about the file, reloaded whenever `revision` changes. */
export function FileAuditTrail({ ctx, fileId, revision, online }: FileAuditTrailProps) {
  const allowed = may(ctx.me.role, 'audit.read');
  const [state, setState] = useState<TrailState>({ status: 'loading' });
  const { api } = ctx;
  useEffect(() => {
    if (!allowed || !online) return;
    let live = true;
    api
      .listAudit({ filters: { fileId }, limit: 100 })
      .then((page) => live && setState({ status: 'ready', events: page.items }))
      .catch(
        (error: unknown) =>
          live &&
          setState({
            status: 'error',
            message: error instanceof Error ? error.message : String(error),
          }),
      );
    return () => {
      live = false;
    };
  }, [api, allowed, fileId, revision, online]);

  let body;
  if (!allowed)
    body = (
      <p>
        The audit trail is shown to admins and auditors; the server keeps it from the {ctx.me.role}{' '}
        role.
      </p>
    );
  else if (!online) body = <p>Offline: the audit trail needs the server.</p>;
  else if (state.status === 'loading') body = <p>Loading the audit trail…</p>;
  else if (state.status === 'error') body = <p className="office-error">{state.message}</p>;
  else body = <AuditTable caption="Audit trail of this file" events={state.events} />;
  return (
    <section aria-labelledby="trail-title">
      <h2 id="trail-title">Audit trail</h2>
      {body}
    </section>
  );
}
