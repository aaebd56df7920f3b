// The Admin screen: users, storage usage against the quota, health, failed uploads, the last reconcile report.
import { useOnlineStatus } from '../ui/hooks/use-online-status';
import { ViewLayout } from '../ui/views/view-layout';
import { AdminOps } from './admin-ops';
import { AdminReconcile } from './admin-reconcile';
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
        <AdminReconcile ctx={ctx} />
        <p>Legal holds are placed and released on each file's page.</p>
      </div>
    </ViewLayout>
  );
}
