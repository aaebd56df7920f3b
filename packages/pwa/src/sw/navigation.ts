// Which navigations the service worker answers with the app shell; everything the server owns goes to the network.
import { SERVER_PATH_PREFIXES } from '@fieldvault/shared/http';

/**
 * Patterns for Workbox's `NavigationRoute` denylist, tested against pathname + search:
 * `/trpc`, `/trpc/…` and `/trpc?…` match; `/trpcx` does not.
 */
export const SERVER_PATH_PATTERNS: readonly RegExp[] = SERVER_PATH_PREFIXES.map(
  (prefix) => new RegExp(`^${prefix}(?:[/?]|$)`),
);

/** True when a navigation to `pathAndSearch` should render the app shell rather than go to the server. */
export function isAppNavigation(pathAndSearch: string): boolean {
  return !SERVER_PATH_PATTERNS.some((pattern) => pattern.test(pathAndSearch));
}
