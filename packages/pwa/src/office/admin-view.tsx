// The Admin screen: user management now; storage usage, health and failed uploads once the server offers them.
import { useOnlineStatus } from '../ui/hooks/use-online-status';
import { NotReady } from '../ui/views/not-ready';
import { ViewLayout } from '../ui/views/view-layout';
import { AdminUsers } from './admin-users';
import type { OfficeContext } from './office-section';
import { useUsers } from './use-users';

/** Props for {@link AdminView}. */
export interface AdminViewProps {
  ctx: OfficeContext;
}

/** Users, then the operational panels still to come. */
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
        <section aria-labelledby="ops-title">
          <h2 id="ops-title">Usage and health</h2>
          <NotReady purpose="Storage usage per system and object type with quota warnings, server health and recent failed uploads." />
        </section>
      </div>
    </ViewLayout>
  );
}
