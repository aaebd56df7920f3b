// The org-wide audit view (admin, auditor): chain status, filters in the URL, the log newest first with "load more".
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { AuditEvent, AuditVerifyResult } from '@fieldvault/shared/schemas';
import { useOnlineStatus } from '../ui/hooks/use-online-status';
import { ViewLayout } from '../ui/views/view-layout';
import { auditFormFromSearch, resolveAuditFilters } from './audit-filters';
import { AuditFiltersForm } from './audit-filters-form';
import { chainStatusText } from './audit-format';
import { AuditTable } from './audit-table';
import { ExportLink } from './export-link';
import type { OfficeContext } from './office-section';
import { useUsers } from './use-users';

function ChainStatus({ ctx }: { ctx: OfficeContext }) {
  const [result, setResult] = useState<AuditVerifyResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const check = useCallback(() => {
    setError(null);
    ctx.api
      .verifyAudit(undefined)
      .then(setResult, (e: unknown) => setError(e instanceof Error ? e.message : String(e)));
  }, [ctx.api]);
  useEffect(check, [check]);
  return (
    <section aria-labelledby="chain-title">
      <h2 id="chain-title">Chain status</h2>
      <p
        className="chain-status"
        role="status"
        data-testid="chain-status"
        data-ok={result ? String(result.ok) : undefined}
      >
        {error ?? (result ? chainStatusText(result) : 'Checking the chain…')}
      </p>
      <button type="button" className="office-button office-button--quiet" onClick={check}>
        Check again
      </button>
    </section>
  );
}

function useAuditLog(ctx: OfficeContext, search: string) {
  const { filters, invalid } = useMemo(
    () => resolveAuditFilters(auditFormFromSearch(search)),
    [search],
  );
  const [events, setEvents] = useState<AuditEvent[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(
    async (after: string | null) => {
      try {
        const page = await ctx.api.listAudit({
          filters,
          limit: 50,
          ...(after ? { cursor: after } : {}),
        });
        setEvents((prev) => (after ? [...prev, ...page.items] : page.items));
        setCursor(page.nextCursor);
        setError(null);
      } catch (e) {
        setError(e instanceof Error ? e.message : String(e));
      }
    },
    [ctx.api, filters],
  );
  useEffect(() => void load(null), [load]);
  return { events, filters, invalid, error, loadMore: cursor ? () => void load(cursor) : null };
}

/** Props for {@link AuditView}. */
export interface AuditViewProps {
  ctx: OfficeContext;
  search: string;
}

/** The Audit screen. */
export function AuditView({ ctx, search }: AuditViewProps) {
  const { users, names } = useUsers(ctx);
  const log = useAuditLog(ctx, search);
  const online = useOnlineStatus() === 'online';
  return (
    <ViewLayout title="Audit" focusHeading={ctx.focusHeading}>
      <div className="office-wide file-detail">
        <ChainStatus ctx={ctx} />
        <section aria-labelledby="log-title">
          <h2 id="log-title">Audit log</h2>
          <AuditFiltersForm
            key={search}
            initial={auditFormFromSearch(search)}
            meId={ctx.me.id}
            users={users}
          />
          {log.invalid.length > 0 ? (
            <p className="office-error">Ignored, not valid: {log.invalid.join(', ')}.</p>
          ) : null}
          {log.error ? (
            <p className="office-error" role="alert">
              {log.error}
            </p>
          ) : null}
          <p className="office-status" role="status">
            {log.events.length} events shown{log.loadMore ? ', more available' : ''}
          </p>
          <p className="office-actions">
            <ExportLink
              kind="audit"
              filters={log.filters}
              label="Export these events as CSV"
              online={online}
            />
          </p>
          <AuditTable caption="Audit log" events={log.events} names={names} />
          {log.loadMore ? (
            <button
              type="button"
              className="office-button office-button--quiet"
              onClick={log.loadMore}
            >
              Load more
            </button>
          ) : null}
        </section>
      </div>
    </ViewLayout>
  );
}
