// `fieldvault import <dir>`: bring a folder of existing files into the vault as a named user, through the upload protocol's services.
import { randomUUID } from 'node:crypto';
import { runImport } from '../import/import.service.js';
import type { JobDeps } from '../jobs/jobs.types.js';
import { createMetrics } from '../metrics.js';
import type { SessionInfo } from '../trpc/context.js';

/** Options of `import`. */
export interface ImportArgs {
  dir: string | undefined;
  org?: string | undefined;
  as?: string | undefined;
  system?: string | undefined;
  'object-type'?: string | undefined;
  'object-id-from'?: string | undefined;
  'dry-run': boolean;
  concurrency?: string | undefined;
}

const USAGE =
  'fieldvault import <dir> --org <id> --as <e-mail> --system <s> --object-type <t> [--object-id-from path|filename] [--dry-run] [--concurrency N]';

/** The importing user as a session (audit rows name them, device "fieldvault import"). */
async function importer(deps: JobDeps, a: ImportArgs): Promise<SessionInfo | null> {
  const user = await deps.db
    .selectFrom('users')
    .innerJoin('orgs', 'orgs.id', 'users.org_id')
    .select([
      'users.id',
      'users.org_id',
      'users.email',
      'users.name',
      'users.role',
      'users.disabled',
      'orgs.name as org_name',
    ])
    .where('users.org_id', '=', a.org ?? '')
    .where('users.email', '=', (a.as ?? '').toLowerCase())
    .executeTakeFirst();
  if (!user || user.disabled || user.role === 'auditor') return null;
  return {
    sessionId: randomUUID(),
    userId: user.id,
    orgId: user.org_id,
    orgName: user.org_name,
    role: user.role,
    email: user.email,
    name: user.name,
    deviceLabel: 'fieldvault import',
    expiresAt: new Date(Date.now() + 86_400_000),
  };
}

/** Run the import and print its JSON report; exit 0, or 1 when a file failed, 64 on bad usage. */
export async function importCommand(deps: JobDeps, a: ImportArgs): Promise<number> {
  const from = a['object-id-from'] ?? 'path';
  const concurrency = Number(a.concurrency ?? '4');
  if (
    !a.dir ||
    !a.org ||
    !a.as ||
    !a.system ||
    !a['object-type'] ||
    (from !== 'path' && from !== 'filename') ||
    !(concurrency >= 1)
  ) {
    console.error(USAGE);
    return 64;
  }
  const session = await importer(deps, a);
  if (!session) {
    console.error(`fieldvault: no active uploader ${a.as} in org ${a.org}`);
    return 64;
  }
  const progress = process.stderr.isTTY
    ? (done: number, total: number) => process.stderr.write(`\r  ${done}/${total} files`)
    : undefined;
  const report = await runImport(
    {
      db: deps.db,
      store: deps.store,
      clock: deps.clock,
      metrics: createMetrics(),
      meta: { ip: null, userAgent: 'fieldvault import' },
      session,
    },
    {
      dir: a.dir,
      system: a.system,
      objectType: a['object-type'],
      objectIdFrom: from,
      dryRun: a['dry-run'],
      concurrency,
      ...(progress ? { onProgress: progress } : {}),
    },
  );
  if (progress) process.stderr.write('\n');
  console.log(JSON.stringify(report, null, 2));
  return report.failed.length > 0 ? 1 : 0;
}
