// The `audit` router: the org's audit log and its chain verification, for admins and auditors only.
import { auditPage, auditVerifyInput, auditVerifyResult } from '@fieldvault/shared/schemas';
import type { AuthedContext } from '../trpc/context.js';
import { roleProcedure, router } from '../trpc/init.js';
import { auditListInputChecked } from './audit.cursor.js';
import { listAudit, verifyAndRecord } from './audit.service.js';

/** Compliance reads the trail; nobody else (field and office staff act, they do not audit). */
const auditReader = roleProcedure('admin', 'auditor');

const deps = (ctx: AuthedContext) => ({
  db: ctx.db,
  session: ctx.session,
  clock: ctx.clock,
  meta: ctx.meta,
});

export const auditRouter = router({
  list: auditReader
    .input(auditListInputChecked)
    .output(auditPage)
    .query(({ ctx, input }) => listAudit(deps(ctx), input)),
  verify: auditReader
    .input(auditVerifyInput)
    .output(auditVerifyResult)
    // A query (reads the chain; the PWA polls it) that also appends its AUDIT_VERIFIED row.
    .query(({ ctx, input }) => verifyAndRecord(deps(ctx), input)),
});
