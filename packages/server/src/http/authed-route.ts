// Plain HTTP routes behind the session cookie (exports): who is calling, cross-site refusal, and errors in the tRPC error shape.
import { ERRORS, FieldVaultError, fail, type ErrorCode } from '@fieldvault/shared/errors';
import { fieldErrors } from '@fieldvault/shared/schemas';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { denialRecorderFor } from '../audit/access-denied.js';
import { refusedTokenDenial, resolveSession } from '../auth/auth.service.js';
import { SESSION_COOKIE } from '../auth/session-token.js';
import type { Role } from '../db/schema.js';
import {
  denialActor,
  type RequestMeta,
  type ServerDeps,
  type SessionInfo,
} from '../trpc/context.js';

/** The caller of an authenticated route and where they called from. */
export interface RouteCaller {
  session: SessionInfo;
  meta: RequestMeta;
}

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * These routes are GETs a page opens by link (downloads), so no CSRF header can be required; they
 * still write an audit row, so a request another site triggers is refused: `Sec-Fetch-Site` must be
 * same-origin or none (typed or bookmarked), and an `Origin`, when sent, must be ours. Returns why
 * the request is refused, or null.
 */
function crossSiteRefusal(request: FastifyRequest, deps: ServerDeps): string | null {
  const site = header(request, 'sec-fetch-site');
  if (site && !['same-origin', 'none'].includes(site)) {
    return `cross-site request (Sec-Fetch-Site: ${site})`;
  }
  const origin = header(request, 'origin');
  const allowed = [deps.config.publicUrl, `${request.protocol}://${request.host}`];
  if (origin && !allowed.includes(origin)) return `foreign Origin ${origin}`;
  return null;
}

/**
 * The signed-in caller with one of `roles`, else UNAUTHENTICATED / FORBIDDEN (as the tRPC
 * middlewares), each refusal handed to the server's ACCESS_DENIED recorder like the tRPC ones.
 */
export async function authenticate(
  request: FastifyRequest,
  deps: ServerDeps,
  roles: readonly Role[],
): Promise<RouteCaller> {
  const meta = { ip: request.ip, userAgent: header(request, 'user-agent')?.slice(0, 512) ?? null };
  const path = request.url.split('?')[0] ?? '';
  const denials = denialRecorderFor(deps);
  const token = request.cookies[SESSION_COOKIE];
  const resolved = token ? await resolveSession(deps, token) : null;
  const session = resolved?.session ?? null;
  const crossSite = crossSiteRefusal(request, deps);
  if (crossSite) {
    const actor = denialActor(session);
    await denials.record({ reason: 'cross_site', actor, meta, path, detail: crossSite });
    throw fail.FORBIDDEN(`Request refused: ${crossSite}`);
  }
  if (!session) {
    if (token) await denials.record({ ...(await refusedTokenDenial(deps, token)), meta, path });
    throw fail.UNAUTHENTICATED();
  }
  if (!roles.includes(session.role)) {
    const detail = `role ${session.role}; requires ${roles.join(' or ')}`;
    await denials.record({ reason: 'role', actor: denialActor(session), meta, path, detail });
    throw fail.FORBIDDEN();
  }
  return { session, meta };
}

/** Parse a JSON-valued query parameter with a shared schema; BAD_INPUT names the bad fields. */
export function parseJsonParam<T>(
  raw: string | undefined,
  q: { name: string; schema: z.ZodType<T> },
): T {
  let value: unknown = undefined;
  if (raw !== undefined) {
    try {
      value = JSON.parse(raw);
    } catch {
      throw fail.BAD_INPUT(`${q.name}: must be URL-encoded JSON`, { details: { field: q.name } });
    }
  }
  const parsed = q.schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const fields = Object.fromEntries(
    Object.entries(fieldErrors(parsed.error)).map(([k, v]) => [k ? `${q.name}.${k}` : q.name, v]),
  );
  const message = Object.entries(fields)
    .map(([k, v]) => `${k}: ${v.join(', ')}`)
    .join('; ');
  throw fail.BAD_INPUT(`Invalid input: ${message}`, { details: { fieldErrors: fields } });
}

/** Answer an error as tRPC would (`{ error: { message, data: { errorCode, httpStatus, … } } }`). */
export function sendRouteError(request: FastifyRequest, reply: FastifyReply, err: unknown) {
  const known = err instanceof FieldVaultError ? err : null;
  const code: ErrorCode = known?.code ?? 'INTERNAL';
  if (!known) request.log.error({ err }, 'route failed');
  const spec = ERRORS[code];
  return reply
    .code(spec.status)
    .header('cache-control', 'no-store')
    .send({
      error: {
        message: known?.message ?? spec.message,
        data: {
          code: spec.trpc,
          httpStatus: spec.status,
          errorCode: code,
          retryable: spec.retryable,
          details: known?.details ?? null,
        },
      },
    });
}
