// The app bar: product name and connectivity.
import { OnlineIndicator } from './online-indicator';

/** Top bar with the app name and the online/offline badge. */
export function AppHeader() {
  return (
    <header className="app-header">
      <p className="app-header__name">FieldVault</p>
      <OnlineIndicator />
    </header>
  );
}
