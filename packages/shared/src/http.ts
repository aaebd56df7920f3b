// HTTP facts the server and the PWA must agree on: the tRPC endpoint, the CSRF header, the paths the server owns.

/** Where the server mounts tRPC; the PWA's transport calls it on the same origin. */
export const TRPC_PATH = '/trpc';

/**
 * The header every tRPC mutation must carry with the value `1`: a cross-site HTML form cannot set custom
 * headers, so its presence proves the request came from our own code.
 */
export const CSRF_HEADER = 'x-fieldvault-csrf';

/**
 * Path prefixes the server answers itself (API, storage byte routes, probes), never the app shell: the
 * service worker leaves navigations under them to the network and the server never falls back to
 * `index.html` for them. A prefix matches itself and anything below it (`/trpc`, `/trpc/…`), not
 * `/trpcx`.
 */
export const SERVER_PATH_PREFIXES = [
  TRPC_PATH,
  '/api',
  '/storage',
  '/healthz',
  '/readyz',
  '/metrics',
] as const;
