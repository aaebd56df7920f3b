// The Admin screen: users, storage usage against the quota, health, failed uploads; reconcile reports still to come.
import { useOnlineStatus } from '../ui/hooks/use-online-status';
import { NotReady } from '../ui/views/not-ready';
import { ViewLayout } from '../ui/views/view-layout';
import { AdminOps } from './admin-ops';
import { AdminUsers } from './admin-users';
import type { OfficeContext } from './office-section';
import { useUsers } from './use-users';

/** Props for {@link AdminView}. */
export interface AdminViewProps {
  ctx: OfficeContext;
}

/** Users, then the operational panels. */
export function AdminView({ ctx }: AdminViewProps) {
  const { users, error, reload } = useUsers(ctx);
  const online = useOnlineStatus() === 'online';
  return (
    <ViewLayout title="Admin" focusHeading={ctx.focusHeading}>
      <div className="office-wide file-detail">
        {error ? (
          <p className="office-error" role="alert">
            {error}
          </p>
        ) : null}
        <AdminUsers ctx={ctx} users={users} reload={reload} online={online} />
        <AdminOps ctx={ctx} />
        <section aria-labelledby="reconcile-title">
          <h2 id="reconcile-title">Reconcile reports and legal holds</h2>
          <NotReady purpose="The last reconcile run's findings (orphans, missing objects, drift) and legal holds on files." />
        </section>
      </div>
    </ViewLayout>
  );
}
