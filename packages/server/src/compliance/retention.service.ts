// Retention rules: the catalogue's default years per object type, overridden per org; when a file's retention ends.
import { listObjectTypes, getObjectType, retentionUntil } from '@fieldvault/shared/catalog';
import type { OrgRetentionRule, OrgRetentionSetInput } from '@fieldvault/shared/schemas';
import { appendAuditEvent } from '../audit/audit.writer.js';
import type { Database, Executor } from '../db/database.js';
import type { FileRow } from '../db/schema.js';
import type { Clock, RequestMeta, SessionInfo } from '../trpc/context.js';

/**
 * When `file`'s retention ends given its org's override years for the type (null: none, the catalogue's
 * default applies); null for a type the catalogue does not know.
 */
export function retentionWithYears(
  file: Pick<FileRow, 'system' | 'object_type' | 'captured_at'>,
  years: number | null,
): Date | null {
  const rule = getObjectType(file.system, file.object_type);
  if (!rule) return null;
  return retentionUntil(
    { ...rule, retentionYears: years ?? rule.retentionYears },
    file.captured_at,
  );
}

/**
 * When `file`'s retention ends: its org's override for the object type when there is one, else the
 * catalogue's default; null for a type the catalogue does not know. Called at verify time.
 */
export async function retentionUntilFor(
  db: Executor,
  file: Pick<FileRow, 'org_id' | 'system' | 'object_type' | 'captured_at'>,
): Promise<Date | null> {
  if (!getObjectType(file.system, file.object_type)) return null;
  const override = await db
    .selectFrom('org_retention')
    .select('years')
    .where('org_id', '=', file.org_id)
    .where('system', '=', file.system)
    .where('object_type', '=', file.object_type)
    .executeTakeFirst();
  return retentionWithYears(file, override?.years ?? null);
}

/** What the retention procedures need. */
export interface RetentionDeps {
  db: Database;
  clock: Clock;
  meta: RequestMeta;
  session: SessionInfo;
}

/** Every catalogue type (of `system`, when given) with its default and the caller's org's override. */
export async function listOrgRetention(
  deps: RetentionDeps,
  system?: string,
): Promise<OrgRetentionRule[]> {
  const overrides = await deps.db
    .selectFrom('org_retention')
    .selectAll()
    .where('org_id', '=', deps.session.orgId)
    .execute();
  const types = listObjectTypes().filter((t) => system === undefined || t.system === system);
  return types.map(({ system, objectType, rule }) => ({
    system,
    objectType,
    defaultYears: rule.retentionYears,
    overrideYears:
      overrides.find((o) => o.system === system && o.object_type === objectType)?.years ?? null,
  }));
}

/**
 * Set (or with `years: null` remove) the org's override, audited as RETENTION_POLICY_SET. Applies to
 * files verified from now on; files already verified keep the retention they were given.
 */
export async function setOrgRetention(
  deps: RetentionDeps,
  input: OrgRetentionSetInput,
): Promise<OrgRetentionRule[]> {
  const orgId = deps.session.orgId;
  await deps.db.transaction().execute(async (trx) => {
    const key = { org_id: orgId, system: input.system, object_type: input.objectType };
    if (input.years === null) {
      await trx
        .deleteFrom('org_retention')
        .where('org_id', '=', orgId)
        .where('system', '=', input.system)
        .where('object_type', '=', input.objectType)
        .execute();
    } else {
      await trx
        .insertInto('org_retention')
        .values({ ...key, years: input.years })
        .onConflict((oc) =>
          oc.columns(['org_id', 'system', 'object_type']).doUpdateSet({ years: input.years ?? 0 }),
        )
        .execute();
    }
    await appendAuditEvent(trx, {
      orgId,
      at: deps.clock(),
      actor: { userId: deps.session.userId, role: deps.session.role },
      ip: deps.meta.ip,
      userAgent: deps.meta.userAgent,
      deviceLabel: deps.session.deviceLabel,
      action: 'RETENTION_POLICY_SET',
      success: true,
      details: { system: input.system, objectType: input.objectType, years: input.years },
    });
  });
  return listOrgRetention(deps);
}
