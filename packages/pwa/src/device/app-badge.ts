// The pending count on the installed app's icon (Badging API), feature-detected: most browsers lack it.
import { createLogger } from '../log/logger';

const log = createLogger('app-badge');

/** The slice of `navigator` the Badging API adds; every member optional because support varies. */
export interface BadgeNavigator {
  setAppBadge?: (contents?: number) => Promise<void>;
  clearAppBadge?: () => Promise<void>;
}

/**
 * Shows `count` on the app icon, or clears the badge at 0. Resolves `false` where the browser has no
 * Badging API or refuses (not installed, permission): the badge is a convenience, never an error.
 */
export async function updateAppBadge(
  count: number,
  nav: BadgeNavigator = navigator,
): Promise<boolean> {
  try {
    if (count > 0 && typeof nav.setAppBadge === 'function') {
      await nav.setAppBadge(count);
      return true;
    }
    if (count <= 0 && typeof nav.clearAppBadge === 'function') {
      await nav.clearAppBadge();
      return true;
    }
  } catch (error) {
    log.info('the app badge was refused', error);
  }
  return false;
}
