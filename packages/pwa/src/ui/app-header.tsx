// The app bar: product name, captures waiting to upload, and connectivity.
import { OnlineIndicator } from './online-indicator';

/** Props for {@link AppHeader}; `pending` is null while signed out. */
export interface AppHeaderProps {
  pending?: number | null;
}

/** Top bar with the app name, the pending count and the online/offline badge. */
export function AppHeader({ pending = null }: AppHeaderProps) {
  return (
    <header className="app-header">
      <p className="app-header__name">FieldVault</p>
      {pending === null ? null : (
        <p className="app-header__pending" data-testid="pending-count">
          {pending === 1 ? '1 waiting to upload' : `${pending} waiting to upload`}
        </p>
      )}
      <OnlineIndicator />
    </header>
  );
}
