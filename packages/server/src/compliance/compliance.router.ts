// The `compliance` router: legal holds (admins) and evidence certificates (admins, auditors); the org always comes from the session.
import {
  certificateInput,
  certificateOutput,
  legalHoldInput,
  legalHoldResult,
  legalHoldStatus,
  legalHoldStatusInput,
  orgRetentionListInput,
  orgRetentionRule,
  orgRetentionSetInput,
} from '@fieldvault/shared/schemas';
import { renderCertificateHtml } from '../certificate/certificate.html.js';
import { issueCertificate } from '../certificate/certificate.service.js';
import type { JsonValue } from '../db/schema.js';
import type { AuthedContext } from '../trpc/context.js';
import { adminProcedure, roleProcedure, router } from '../trpc/init.js';
import { legalHoldStatus as holdStatus } from './legal-hold-status.service.js';
import { changeLegalHold } from './legal-hold.service.js';
import { listOrgRetention, setOrgRetention } from './retention.service.js';

const deps = (ctx: AuthedContext) => ({
  db: ctx.db,
  store: ctx.store,
  clock: ctx.clock,
  meta: ctx.meta,
  session: ctx.session,
});

export const complianceRouter = router({
  legalHold: adminProcedure
    .input(legalHoldInput)
    .output(legalHoldResult)
    .mutation(({ ctx, input }) => changeLegalHold(deps(ctx), input)),
  /** Admins change holds; auditors read them (the file detail's "Legal hold since … by …"). */
  legalHoldStatus: roleProcedure('admin', 'auditor')
    .input(legalHoldStatusInput)
    .output(legalHoldStatus)
    .query(({ ctx, input }) => holdStatus(deps(ctx), input)),
  retention: router({
    list: roleProcedure('admin', 'auditor')
      .input(orgRetentionListInput)
      .output(orgRetentionRule.array())
      .query(({ ctx, input }) => listOrgRetention(deps(ctx), input?.system)),
    set: adminProcedure
      .input(orgRetentionSetInput)
      .output(orgRetentionRule.array())
      .mutation(({ ctx, input }) => setOrgRetention(deps(ctx), input)),
  }),
  /** A mutation: issuing is audited (CERTIFICATE_ISSUED) and signs a fresh checkpoint. */
  certificate: roleProcedure('admin', 'auditor')
    .input(certificateInput)
    .output(certificateOutput)
    .mutation(async ({ ctx, input }) => {
      const cert = await issueCertificate(
        { db: ctx.db, store: ctx.store, config: ctx.config, clock: ctx.clock, log: ctx.log },
        {
          orgId: ctx.session.orgId,
          scope: input,
          actor: { userId: ctx.session.userId, role: ctx.session.role },
        },
      );
      return {
        certificate: JSON.parse(JSON.stringify(cert)) as JsonValue,
        html: renderCertificateHtml(cert),
      };
    }),
});
