// `fieldvault verify-audit [--org <id>]`: recompute every org's audit chain against its signed checkpoints.
import { orgsWithAudit } from '../checkpoints/checkpoints.repository.js';
import { verifyAuditChain } from '../checkpoints/checkpoints.service.js';
import { resolveSigningKey } from '../checkpoints/signing-key.js';
import type { JobDeps } from '../jobs/jobs.types.js';

/** One JSON line per org; exit 0 when every chain holds, 2 at the first org with a broken link. */
export async function verifyAuditCommand(
  deps: JobDeps,
  orgId: string | undefined,
): Promise<number> {
  const { publicKey } = await resolveSigningKey(deps.config);
  const orgs = orgId ? [orgId] : await orgsWithAudit(deps.db);
  for (const org of orgs) {
    const store = deps.config.jobs.checkpointsToBucket ? deps.store : null;
    const verdict = await verifyAuditChain(deps.db, { orgId: org, publicKey, store });
    console.log(JSON.stringify(verdict));
    if (!verdict.ok) {
      const b = verdict.firstBreak;
      console.error(
        `fieldvault: audit chain of org ${org} is broken at seq ${b?.seq} (${b?.reason})`,
      );
      return 2;
    }
  }
  return 0;
}
