// Mounts tRPC at /trpc: the outer context (cookie → session, IP, user agent, Origin), the session cookie, and login rate limits.
import cookie from '@fastify/cookie';
import rateLimit from '@fastify/rate-limit';
import { CSRF_HEADER, TRPC_PATH } from '@fieldvault/shared/http';
import { fastifyTRPCPlugin, type CreateFastifyContextOptions } from '@trpc/server/adapters/fastify';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { appRouter, type AppRouter } from '../app-router.js';
import { denialRecorderFor } from '../audit/access-denied.js';
import { isAuditWriteError } from '../audit/audit.writer.js';
import { refusedTokenDenial, resolveSession } from '../auth/auth.service.js';
import { SESSION_COOKIE } from '../auth/session-token.js';
import {
  createInnerContext,
  type Context,
  type CookieJar,
  type ServerDeps,
} from '../trpc/context.js';
import { isUnexpected } from '../trpc/errors.js';

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

/** Browsers drop `Secure` cookies on plain http; localhost is the one http origin we serve. */
function isLocalHost(request: FastifyRequest): boolean {
  const host = request.hostname.toLowerCase();
  return LOCAL_HOSTS.has(host) || host.endsWith('.localhost');
}

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function cookieJar(request: FastifyRequest, reply: FastifyReply): CookieJar {
  const base = {
    httpOnly: true,
    sameSite: 'lax' as const,
    path: '/',
    secure: !isLocalHost(request),
  };
  return {
    setSession: (token, expiresAt) =>
      void reply.setCookie(SESSION_COOKIE, token, { ...base, expires: expiresAt }),
    clearSession: () => void reply.clearCookie(SESSION_COOKIE, base),
  };
}

/**
 * The outer context: read the request, resolve the session, then build the inner context. One
 * refusal recorder (and its flood guard) per server: a refused cookie is recorded here, cross-site
 * and wrong-role calls by the tRPC middlewares.
 */
export function outerContextFactory(deps: ServerDeps) {
  const denials = denialRecorderFor(deps);
  return async ({ req, res }: CreateFastifyContextOptions): Promise<Context> => {
    const cookies = cookieJar(req, res);
    const token = req.cookies[SESSION_COOKIE];
    const meta = { ip: req.ip, userAgent: header(req, 'user-agent')?.slice(0, 512) ?? null };
    const resolved = token ? await resolveSession(deps, token) : null;
    if (token && !resolved) {
      cookies.clearSession();
      const refused = await refusedTokenDenial(deps, token);
      await denials.record({ ...refused, meta, path: req.url.split('?')[0] ?? '' });
    }
    if (token && resolved?.renewedUntil) cookies.setSession(token, resolved.renewedUntil);
    return createInnerContext({
      deps,
      session: resolved?.session ?? null,
      meta,
      cookies,
      denials,
      http: {
        csrfHeader: header(req, CSRF_HEADER),
        origin: header(req, 'origin'),
        secFetchSite: header(req, 'sec-fetch-site'),
        allowedOrigins: [deps.config.publicUrl, `${req.protocol}://${req.host}`],
      },
    });
  };
}

/** True for requests that call auth.login (alone or in a batch). */
function callsLogin(request: FastifyRequest): boolean {
  const path = request.url.split('?')[0] ?? '';
  const base = `${TRPC_PATH}/`;
  return path.startsWith(base) && path.slice(base.length).split(',').includes('auth.login');
}

/** Register cookies, the login rate limit and the tRPC adapter (batching on) under /trpc. */
export async function registerTrpc(
  app: FastifyInstance,
  deps: ServerDeps,
  options: { loginRateLimitPerMinute: number },
): Promise<void> {
  await app.register(cookie);
  // A coarse per-IP cap in front of the DB-backed per-account/per-IP delays: stops bursts that
  // arrive faster than failures are recorded.
  await app.register(rateLimit, {
    global: true,
    max: options.loginRateLimitPerMinute,
    timeWindow: '1 minute',
    allowList: (request) => !callsLogin(request),
    errorResponseBuilder: (_request, context) => ({
      statusCode: 429,
      error: {
        message: `Too many sign-in attempts; try again in ${Math.ceil(context.ttl / 1000)} s.`,
        code: -32029,
        data: {
          code: 'TOO_MANY_REQUESTS',
          httpStatus: 429,
          errorCode: 'RATE_LIMITED',
          retryable: true,
        },
      },
    }),
  });
  await app.register(fastifyTRPCPlugin<AppRouter>, {
    prefix: TRPC_PATH,
    trpcOptions: {
      router: appRouter,
      createContext: outerContextFactory(deps),
      allowBatching: true,
      onError({ error, path, req }) {
        if (isAuditWriteError(error)) {
          deps.metrics.auditWriteFailures.inc();
          req.log.fatal(
            { err: error, cause: error.cause, path },
            'CRITICAL: audit write failed; action refused',
          );
          return;
        }
        if (isUnexpected(error))
          req.log.error({ err: error, cause: error.cause, path }, 'procedure failed');
        else req.log.info({ path, code: error.code, message: error.message }, 'procedure refused');
      },
    },
  });
}
