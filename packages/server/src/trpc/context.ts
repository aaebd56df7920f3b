// tRPC context in two parts: the inner one (what tests build) and the outer one (reads the HTTP request, then calls inner).
import type { FastifyBaseLogger } from 'fastify';
import type { Database } from '../db/database.js';
import type { Role } from '../db/schema.js';
import type { Config } from '../env.js';
import type { Metrics } from '../metrics.js';
import type { ObjectStore } from '../storage/object-store.js';

/** Now, injectable so tests can move time (session expiry, throttling). */
export type Clock = () => Date;

/** Long-lived collaborators shared by every request. */
export interface ServerDeps {
  db: Database;
  store: ObjectStore;
  config: Config;
  clock: Clock;
  log: FastifyBaseLogger;
  metrics: Metrics;
}

/** The signed-in user as every procedure sees it; role and org are read fresh from the DB per request. */
export interface SessionInfo {
  sessionId: string;
  userId: string;
  orgId: string;
  orgName: string;
  role: Role;
  email: string;
  name: string;
  deviceLabel: string | null;
  expiresAt: Date;
}

/** Who is calling from where (audit rows, throttling); plain data, no request object. */
export interface RequestMeta {
  ip: string | null;
  userAgent: string | null;
}

/** What the CSRF middleware checks on mutations; absent for in-process calls (tests, CLI, jobs). */
export interface HttpCsrfInfo {
  csrfHeader: string | undefined;
  origin: string | undefined;
  secFetchSite: string | undefined;
  /** Origins this server answers as (the configured public URL and the request's own). */
  allowedOrigins: readonly string[];
}

/** Sets and clears the session cookie; HTTP writes headers, tests record calls. */
export interface CookieJar {
  setSession(token: string, expiresAt: Date): void;
  clearSession(): void;
}

export interface InnerContextOptions {
  deps: ServerDeps;
  session?: SessionInfo | null;
  meta?: RequestMeta;
  cookies?: CookieJar;
  http?: HttpCsrfInfo;
}

const NO_COOKIES: CookieJar = { setSession: () => undefined, clearSession: () => undefined };

/** Build the context procedures see, without any HTTP objects. */
export function createInnerContext(options: InnerContextOptions) {
  return {
    ...options.deps,
    session: options.session ?? null,
    meta: options.meta ?? { ip: null, userAgent: null },
    cookies: options.cookies ?? NO_COOKIES,
    http: options.http ?? null,
  };
}

export type Context = ReturnType<typeof createInnerContext>;

/** The context after `authedProcedure`: a session is guaranteed. */
export type AuthedContext = Context & { session: SessionInfo };
