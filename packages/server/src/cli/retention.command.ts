// `fieldvault retention check | apply`: compare objects' Object Lock with their records, and lock the ones stored before Object Lock was on.
import { applyRetention, RetentionApplyUnavailable } from '../compliance/retention-apply.js';
import { checkRetention } from '../compliance/retention-check.js';
import type { JobDeps } from '../jobs/jobs.types.js';

/** Exit codes: 4 when an object is unprotected (check) or storage refused one (apply); 78 without Object Lock. */
export async function retentionCommand(
  deps: JobDeps,
  sub: 'check' | 'apply',
  values: { days?: string | undefined; 'dry-run': boolean; org?: string | undefined },
): Promise<number> {
  if (sub === 'check') {
    const report = await checkRetention(deps, { days: Number(values.days ?? '30'), sample: 20 });
    console.log(JSON.stringify(report, null, 2));
    return report.unprotected.length > 0 ? 4 : 0;
  }
  try {
    const report = await applyRetention(deps, {
      dryRun: values['dry-run'],
      ...(values.org ? { orgId: values.org } : {}),
    });
    console.log(JSON.stringify(report, null, 2));
    return report.failed.length > 0 ? 4 : 0;
  } catch (err) {
    if (!(err instanceof RetentionApplyUnavailable)) throw err;
    console.error(`fieldvault: ${err.message}`);
    return 78;
  }
}
