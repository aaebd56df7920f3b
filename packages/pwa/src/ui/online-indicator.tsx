// Header badge saying whether the browser thinks it is online.
import { useOnlineStatus } from './hooks/use-online-status';

/** "Online" / "Offline" badge, announced politely to screen readers when it changes. */
export function OnlineIndicator() {
  const status = useOnlineStatus();
  return (
    <p className="online-indicator" data-state={status} data-testid="online-status" role="status">
      <span className="online-indicator__dot" aria-hidden="true" />
      {status === 'online' ? 'Online' : 'Offline'}
    </p>
  );
}
