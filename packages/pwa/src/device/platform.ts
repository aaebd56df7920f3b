// Platform facts the UI must adapt to: iOS (separate storage for the Safari tab and the Home Screen app) and standalone mode.

/** The slice of `navigator` used here; `standalone` is Safari's own flag for Home Screen apps. */
export interface PlatformNavigator {
  userAgent: string;
  platform?: string;
  maxTouchPoints?: number;
  standalone?: boolean;
}

/** True on iPhone, iPod and iPad (iPadOS reports itself as a Mac with touch). */
export function isIos(nav: PlatformNavigator): boolean {
  if (/iPhone|iPad|iPod/.test(nav.userAgent)) return true;
  return nav.platform === 'MacIntel' && (nav.maxTouchPoints ?? 0) > 1;
}

/** True when running as an installed app rather than a browser tab. */
export function isStandalone(
  nav: PlatformNavigator,
  matchMedia: ((query: string) => { matches: boolean }) | null,
): boolean {
  if (nav.standalone === true) return true;
  return matchMedia?.('(display-mode: standalone)').matches ?? false;
}

/**
 * True when the "Add to Home Screen" hint applies: iOS in a browser tab. There, captures live in this tab's
 * storage, which Safari evicts after 7 days without use and which the installed app does not share.
 */
export function needsIosInstallHint(
  nav: PlatformNavigator,
  matchMedia: ((query: string) => { matches: boolean }) | null,
): boolean {
  return isIos(nav) && !isStandalone(nav, matchMedia);
}
