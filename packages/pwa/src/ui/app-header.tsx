// The app bar: product name, captures waiting to upload, connectivity, and Sign out while signed in.
import { OnlineIndicator } from './online-indicator';

/** Props for {@link AppHeader}; `pending` and `onSignOut` are null while signed out. */
export interface AppHeaderProps {
  pending?: number | null;
  onSignOut?: (() => void) | null;
}

/** Top bar with the app name, the pending count, the online/offline badge and Sign out. */
export function AppHeader({ pending = null, onSignOut = null }: AppHeaderProps) {
  return (
    <header className="app-header">
      <p className="app-header__name">FieldVault</p>
      {pending === null ? null : (
        <p className="app-header__pending" data-testid="pending-count">
          {pending === 1 ? '1 waiting to upload' : `${pending} waiting to upload`}
        </p>
      )}
      <OnlineIndicator />
      {onSignOut ? (
        <button type="button" className="app-header__sign-out" onClick={onSignOut}>
          Sign out
        </button>
      ) : null}
    </header>
  );
}
