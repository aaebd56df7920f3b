// The `compliance` router: legal holds (admins); the org always comes from the session.
import { legalHoldInput, legalHoldResult } from '@fieldvault/shared/schemas';
import type { AuthedContext } from '../trpc/context.js';
import { adminProcedure, router } from '../trpc/init.js';
import { changeLegalHold } from './legal-hold.service.js';

const deps = (ctx: AuthedContext) => ({
  db: ctx.db,
  clock: ctx.clock,
  meta: ctx.meta,
  session: ctx.session,
});

export const complianceRouter = router({
  legalHold: adminProcedure
    .input(legalHoldInput)
    .output(legalHoldResult)
    .mutation(({ ctx, input }) => changeLegalHold(deps(ctx), input)),
});
