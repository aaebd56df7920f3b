// The `auth` router: login, logout, me. Validates input, calls the auth service, sets/clears the cookie.
import { isFieldVaultError } from '@fieldvault/shared/errors';
import { loginInput, me } from '@fieldvault/shared/schemas';
import { authedProcedure, publicProcedure, router } from '../trpc/init.js';
import { describeSession, login, logout } from './auth.service.js';

export const authRouter = router({
  login: publicProcedure
    .input(loginInput)
    .output(me)
    .mutation(async ({ ctx, input }) => {
      try {
        const result = await login({ db: ctx.db, clock: ctx.clock, meta: ctx.meta }, input);
        ctx.cookies.setSession(result.token, result.expiresAt);
        ctx.metrics.logins.inc({ result: 'success' });
        return result.me;
      } catch (err) {
        ctx.metrics.logins.inc({
          result: isFieldVaultError(err, 'RATE_LIMITED') ? 'throttled' : 'failure',
        });
        throw err;
      }
    }),

  logout: authedProcedure.mutation(async ({ ctx }) => {
    await logout({ db: ctx.db, clock: ctx.clock, meta: ctx.meta }, ctx.session);
    ctx.cookies.clearSession();
    return { ok: true as const };
  }),

  me: authedProcedure.output(me).query(({ ctx }) => describeSession(ctx.session)),
});
