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

/** A refused security-relevant request, for the ACCESS_DENIED audit trail. */
export interface RequestDenial {
  reason:
    | 'cross_site'
    | 'role'
    | 'session_unknown'
    | 'session_expired'
    | 'session_revoked'
    | 'user_disabled';
  /** Who, when known: the signed-in caller, or the user a refused cookie's session belonged to. */
  actor: { orgId: string; userId: string; role: Role; deviceLabel: string | null } | null;
  meta: RequestMeta;
  /** The procedure or route refused. */
  path?: string;
  /** What exactly was refused (the CSRF check's reason, the roles required). */
  detail?: string;
}

/** The signed-in caller as an ACCESS_DENIED row names them (null when nobody is signed in). */
export function denialActor(session: SessionInfo | null | undefined): RequestDenial['actor'] {
  if (!session) return null;
  const { orgId, userId, role, deviceLabel } = session;
  return { orgId, userId, role, deviceLabel };
}

/** Records refusals (the HTTP layer audits them, rate-limited); absent for in-process calls. */
export interface DenialRecorder {
  record(denial: RequestDenial): Promise<void>;
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
  denials?: DenialRecorder;
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
    denials: options.denials ?? null,
  };
}

export type Context = ReturnType<typeof createInnerContext>;

/** The context after `authedProcedure`: a session is guaranteed. */
export type AuthedContext = Context & { session: SessionInfo };
