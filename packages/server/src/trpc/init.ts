// initTRPC, once: error formatting, the base procedure (error mapping, CSRF), authentication and role procedures.
import { initTRPC } from '@trpc/server';
import { FieldVaultError, fail } from '@fieldvault/shared/errors';
import { CSRF_HEADER } from '@fieldvault/shared/http';
import type { Role } from '../db/schema.js';
import { denialActor, type Context, type HttpCsrfInfo, type RequestDenial } from './context.js';
import { fieldVaultErrorShape, toTRPCError } from './errors.js';
import { unstorableTextRefusal } from './storable-text.js';

const t = initTRPC.context<Context>().create({
  // Never send stack traces, whatever NODE_ENV says.
  isDev: false,
  errorFormatter({ shape, error }) {
    const extra = fieldVaultErrorShape(error);
    return { ...shape, message: extra.message, data: { ...shape.data, ...extra.data } };
  },
  // Live updates (files.changes) are long SSE streams: a ping comment every 15 s keeps proxies and load
  // balancers from cutting an idle stream, and the client (told via the stream) reconnects — resuming from
  // its lastEventId — when nothing, not even a ping, arrived for 25 s.
  sse: {
    ping: { enabled: true, intervalMs: 15_000 },
    client: { reconnectAfterInactivityMs: 25_000 },
  },
});

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;
export const mergeRouters = t.mergeRouters;

/**
 * Services throw FieldVaultError; tRPC would wrap those as INTERNAL_SERVER_ERROR. Map them here,
 * in the one place, to the TRPCError their shared code names (cause kept).
 */
const mapErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok && result.error.cause instanceof FieldVaultError) {
    throw toTRPCError(result.error.cause);
  }
  return result;
});

/** Why a mutation request is refused as cross-site, or null when it is acceptable. */
export function csrfRefusal(http: HttpCsrfInfo): string | null {
  if (http.csrfHeader !== '1') return `missing ${CSRF_HEADER}: 1 header`;
  if (http.secFetchSite && !['same-origin', 'none'].includes(http.secFetchSite)) {
    return `cross-site request (Sec-Fetch-Site: ${http.secFetchSite})`;
  }
  if (http.origin && !http.allowedOrigins.includes(http.origin))
    return `foreign Origin ${http.origin}`;
  return null;
}

/** Hand a refusal to the request's recorder (audited, rate-limited); in-process calls have none. */
async function recordDenial(ctx: Context, denial: Omit<RequestDenial, 'actor' | 'meta'>) {
  await ctx.denials?.record({ ...denial, actor: denialActor(ctx.session), meta: ctx.meta });
}

/** Every mutation over HTTP must be same-origin and carry the CSRF header; queries have no side effects. */
const csrf = t.middleware(async ({ ctx, type, path, next }) => {
  if (type === 'mutation' && ctx.http) {
    const refusal = csrfRefusal(ctx.http);
    if (refusal) {
      await recordDenial(ctx, { reason: 'cross_site', path, detail: refusal });
      throw toTRPCError(fail.FORBIDDEN(`Request refused: ${refusal}`));
    }
  }
  return next();
});

/**
 * Text the database cannot hold is refused as invalid input, never a 500 from an INSERT. It runs after
 * the sign-in and role checks (so a stranger still gets 401/403 first), and leaves a body that is not
 * JSON at all to tRPC's own input parsing.
 */
const storableText = t.middleware(async ({ getRawInput, next }) => {
  let input: unknown;
  try {
    input = await getRawInput();
  } catch {
    return next();
  }
  const refusal = unstorableTextRefusal(input);
  if (refusal) throw refusal;
  return next();
});

const baseProcedure = t.procedure.use(mapErrors).use(csrf);

export const publicProcedure = baseProcedure.use(storableText);

/** Signed in: narrows `ctx.session` to non-null for everything after it. */
const signedInProcedure = baseProcedure.use(({ ctx, next }) => {
  if (!ctx.session) throw toTRPCError(fail.UNAUTHENTICATED());
  return next({ ctx: { ...ctx, session: ctx.session } });
});

/** Signed in (any role). */
export const authedProcedure = signedInProcedure.use(storableText);

/** Signed in with one of `roles`; others get FORBIDDEN. */
export function roleProcedure(...roles: [Role, ...Role[]]) {
  return signedInProcedure
    .use(async ({ ctx, path, next }) => {
      if (!roles.includes(ctx.session.role)) {
        const detail = `role ${ctx.session.role}; requires ${roles.join(' or ')}`;
        await recordDenial(ctx, { reason: 'role', path, detail });
        throw toTRPCError(fail.FORBIDDEN());
      }
      return next();
    })
    .use(storableText);
}

export const adminProcedure = roleProcedure('admin');
