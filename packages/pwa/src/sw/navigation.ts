// Which navigations the service worker answers with the app shell; everything the server owns goes to the network.

/** Path prefixes served by the server, never by the app shell (API, byte routes, probes). */
export const SERVER_PATH_PREFIXES = ['/trpc', '/storage', '/healthz', '/readyz', '/metrics'] as const;

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
