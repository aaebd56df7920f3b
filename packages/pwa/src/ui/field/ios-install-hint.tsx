// The iOS note: add FieldVault to the Home Screen, because a Safari tab's captures live only in that tab's storage.
import { useState } from 'react';
import { needsIosInstallHint, type PlatformNavigator } from '../../device/platform';
import { localStorageOrNull } from '../../session/device-label';

const DISMISSED_KEY = 'fieldvault.ios-hint.dismissed';

/** Props for {@link IosInstallHint}; tests pass a navigator and matchMedia, the app passes nothing. */
export interface IosInstallHintProps {
  nav?: PlatformNavigator;
  matchMedia?: ((query: string) => { matches: boolean }) | null;
}

function dismissedBefore(): boolean {
  try {
    return localStorageOrNull()?.getItem(DISMISSED_KEY) === '1';
  } catch {
    return false;
  }
}

/** Shown on iOS in a browser tab until dismissed (the dismissal is remembered on this device). */
export function IosInstallHint({
  nav = navigator,
  matchMedia = window.matchMedia.bind(window),
}: IosInstallHintProps) {
  const [dismissed, setDismissed] = useState(dismissedBefore);
  if (dismissed || !needsIosInstallHint(nav, matchMedia)) return null;
  const dismiss = () => {
    setDismissed(true);
    try {
      localStorageOrNull()?.setItem(DISMISSED_KEY, '1');
    } catch {
      // Not remembered: the note comes back next time, which is harmless.
    }
  };
  return (
    <aside className="notice ios-hint" aria-label="Install FieldVault" data-testid="ios-hint">
      <p>
        Add FieldVault to your Home Screen: tap Share, then “Add to Home Screen”. Captures made here
        live in this Safari tab’s storage only; the Home Screen app keeps its own, and Safari may
        clear a tab’s storage after 7 days without use. Upload what is in the Outbox before
        switching.
      </p>
      <button type="button" onClick={dismiss}>
        Dismiss
      </button>
    </aside>
  );
}
